import { APIRequestContext, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

// Every test makes the records it changes, with names and addresses no other test uses, so tests
// run in parallel and in any order without changing the demo data others read.

/** Ten random letters (names are validated as a person's name): no two tests share one. */
export function uniqueTag(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => String.fromCharCode(97 + (b % 26))).join("");
}

export function uniqueEmail(tag: string): string {
  return `${tag}.${uniqueTag()}@example.com`;
}

/** A person's name no other test uses, like "Test Ann Qbcdefgh". */
export function uniqueName(first = "Ann"): string {
  const tag = uniqueTag();
  return `Test ${first} ${tag[0].toUpperCase()}${tag.slice(1)}`;
}

/** A council short code no other test uses. */
export function uniqueCouncilCode(): string {
  return `test-${uniqueTag()}`;
}

export const REFERENCE = /^FH-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

export type Enquiry = { reference: string; name: string; email: string; council: string };

/**
 * Makes an enquiry through the public form's plain post (what a browser without JavaScript
 * sends), for a test that needs one of its own. `council` is a council's code, or `other`.
 */
export async function createEnquiry(
  request: APIRequestContext,
  {
    council = "portsmouth",
    name = uniqueName(),
    email = uniqueEmail("enquiry"),
    // The campaign the enquirer came from (`?source=` on the public form's address).
    source = "browser-tests",
  } = {},
): Promise<Enquiry> {
  const form = new URLSearchParams([
    // The hidden field naming the server function the enquiry page's form posts to.
    ["__form", "/api/enquiries/submit"],
    ["submission_key", crypto.randomUUID()],
    ["source", source],
    ["full_name", name],
    ["email", email],
    ["phone", "07700 900123"],
    ["postcode", "PO1 2AB"],
    ["council", council],
    ["spare_bedroom", "yes"],
    ["interests", "long_term"],
    ["heard_about", "search"],
    ["consent", "yes"],
  ]);
  const response = await request.post("/enquire", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: form.toString(),
    maxRedirects: 0,
  });
  expect(response.status(), await response.text()).toBe(303);
  const reference = response.headers()["location"].replace("/enquire/thank-you/", "");
  expect(reference).toMatch(REFERENCE);
  return { reference, name, email, council };
}

/** Fills the public enquiry form with valid answers (a Portsmouth enquiry). */
export async function fillValidEnquiry(page: Page, email: string, name = "Ann Smith") {
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Phone number").fill("07700 900123");
  await page.getByLabel("Postcode").fill("po1 2ab");
  await page
    .getByLabel("Which council area do you live in?")
    .selectOption({ label: "Portsmouth City Council" });
  await page.getByRole("group", { name: "Do you have a spare bedroom?" }).getByLabel("Yes").check();
  await page.getByLabel("Long-term fostering").check();
  await page
    .getByRole("group", { name: "How did you hear about fostering with us?" })
    .getByLabel("Internet search")
    .check();
  await page.getByLabel(/I agree that the fostering team may contact me/).check();
}

/**
 * A Portsmouth mainstream household on the register, made straight in the database (a test of
 * what a household's page does needs one, not the approval that makes it): approved
 * `approvedDaysAgo` days ago for up to 2 children aged 0 to 17 long-term, supervised by
 * Portsmouth's supervising social worker, with one carer (`carer`, no email address). With
 * `memberTurning18`, someone living there turns 18 in 20 days and their DBS task is open.
 */
export function registerHousehold({
  reference,
  carer,
  approvedDaysAgo = 330,
  memberTurning18,
}: {
  reference: string;
  carer: string;
  approvedDaysAgo?: number;
  memberTurning18?: string;
}) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the household");
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const member = memberTurning18
    ? `, m as (insert into household_member (household_id, full_name, date_of_birth, relationship)
             select household_id, ${quote(memberTurning18)}, (current_date + 20) - interval '18 years', 'Birth child' from h
             returning household_id, household_member_id)
       , k as (insert into household_task (household_id, kind, subject_id, due_on)
               select household_id, 'dbs-at-18', household_member_id, current_date + 20 from m)`
    : "";
  execFileSync("psql", [
    url,
    "-qtAc",
    `with h as (
       insert into household (council_id, reference, name, postcode, carer_type, approved_on,
                              supervising_social_worker_id, max_children, age_min, age_max, placement_types)
       select c.council_id, ${quote(reference)}, ${quote(carer)}, 'PO1 2AB', 'mainstream', current_date - ${approvedDaysAgo},
              s.staff_user_id, 2, 0, 17, array['long-term']
         from council c, staff_user s
        where c.code = 'portsmouth' and s.email = 'supervising.portsmouth@example.org'
       returning household_id, approved_on),
     t as (insert into approval_terms (household_id, effective_from, max_children, age_min, age_max, sex,
                                       placement_types, source, reason)
           select household_id, approved_on, 2, 0, 17, 'any', array['long-term'], 'approval', 'Made by a browser test' from h)
     ${member}
     insert into carer (household_id, position, full_name) select household_id, 1, ${quote(carer)} from h`,
  ]);
}
