import { APIRequestContext, Browser, expect, Page } from "@playwright/test";
import { createEnquiry } from "./data";
import { invitationTo } from "./mail";
import { open } from "./page";

// A household's application, for tests that start where the online application ends: the
// invitation is used in a browser of the applicant's own, and the answers are saved through the
// same server function the application's pages post to (the pages themselves are
// applications/apply.spec.ts's journey).

/** Signs the invited applicant in by the link emailed to `email`, in a browser of their own. */
export async function signInByInvitation(browser: Browser, baseURL: string | undefined, js: boolean, email: string): Promise<Page> {
  let token = "";
  await expect.poll(() => (token = invitationTo(email)), { timeout: 15_000 }).not.toBe("");
  // No cookies: the staff member's session (shared by the tests through the saved sign-in
  // state) must not be the one the link's sign-in replaces.
  const context = await browser.newContext({ baseURL, javaScriptEnabled: js, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await open(page, `/account/sign-in/${token}`, js);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  return page;
}

export type Applicant = { first: string; last: string; email: string; referees: string[] };

/** One applicant's complete answers, section by section (addresses abroad for ten years). */
function answers(a: Applicant): [string, Record<string, unknown>][] {
  const address = (month: string, year: string) => ({
    line1: "12 Rue Bonaparte", town: "Paris", country: "France", moved_in: { month, year },
  });
  const referee = (email: string, i: number) => ({
    kind: i === 0 ? "family" : "personal", name: `Referee ${"ABC"[i]} Smith`, relationship: "Friend",
    years_known: "12", email, phone: "07700 900123", address: "1 High Street, Havant",
  });
  return [
    ["languages", { main_language: "English", other_languages: "" }],
    ["home", { spare_bedroom: "yes", tenure: "owned", pets: "no" }],
    ["household", { anyone_else: "no" }],
    ["referees", { referees: a.referees.map(referee) }],
    ["fostering", { why: "We have room and time.", types: ["long_term"], age_from: "0", age_to: "17", how_many: "2" }],
    ["about-you", {
      first_name: a.first, last_name: a.last, dob: { day: "29", month: "2", year: "1980" }, other_names_used: "no",
      country_of_birth: "England", nationality: "British", ethnicity: "white_british", gender: "female",
      religion: "none", ni_number: "JK 12 34 56 C", phone: "+44 7700 900982", email: a.email,
    }],
    ["children-elsewhere", { any: "no" }],
    ["previous-partners", { any: "none" }],
    ["addresses", { current: [address("3", "2019")], previous: [address("1", "2005")] }],
    ["work", { status: "not_working", with_children: "no" }],
    ["health", {
      disabled: "no", conditions: "no", gp_name: "Dr Ahmed", gp_practice: "Fratton Surgery",
      gp_phone: "023 9282 2251", gp_address: "1 Fratton Road, Portsmouth",
    }],
    ["history", { applied_before: "no", approved_recently: "no", court: "no", armed_forces: "no", council_link: "no" }],
    ["consent", { consent_checks: "yes", consent_councils: "yes", declaration: "yes" }],
  ];
}

/**
 * A Portsmouth enquiry from one applicant, invited to apply, with every section of the
 * application filled in but not yet sent: the applicant's signed-in page, and the reference.
 */
export async function filledApplication(
  staff: Page,
  request: APIRequestContext,
  browser: Browser,
  baseURL: string | undefined,
  js: boolean,
  applicant: Applicant,
): Promise<{ reference: string; household: Page }> {
  const enquiry = await createEnquiry(request, { council: "portsmouth", email: applicant.email, name: `${applicant.first} ${applicant.last}` });
  const invited = await staff.request.post("/api/enquiries/invite", { data: { form: { reference: enquiry.reference, joint: "no" } } });
  expect(invited.status(), await invited.text()).toBe(200);
  const household = await signInByInvitation(browser, baseURL, js, applicant.email);
  for (const [section, form] of answers(applicant)) {
    const saved = await household.request.post("/api/application/save", { data: { form: { ...form, section, action: "continue" } } });
    expect(saved.status(), `${section}: ${await saved.text()}`).toBe(200);
  }
  return { reference: enquiry.reference, household };
}
