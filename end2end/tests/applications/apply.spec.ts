import { Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { createEnquiry, uniqueEmail, uniqueTag } from "../../support/data";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";
import { signInByInvitation } from "../../support/application";
import { MAIL_DIR } from "../../support/mail";

// The whole journey from an enquiry to a sent application: staff move the enquiry through every
// stage and invite a joint household; each applicant signs in by the emailed invitation, fills
// in their parts of the task list, the first checks the answers and sends it; the worker sees it
// sent. Once with JavaScript and once without.

type Answers = [string, string][];

/** Fills a section's fields by their names: radios and checkboxes are checked by value (first,
 * so the questions they reveal are shown), selects chosen, text typed. */
async function fillSection(page: Page, js: boolean, code: string, answers: Answers, adds: string[] = []) {
  await open(page, `/account/application/${code}`, js);
  if (js) await waitForHydration(page);
  for (const group of adds) {
    const before = await page.locator(`.add-another__item`).count();
    await page.locator(`button[name="add_another"][value="${group}"]`).click();
    await expect(page.locator(`.add-another__item`)).toHaveCount(before + 1);
  }
  for (const [name, value] of answers) {
    const field = page.locator(`[name="${name}"]`);
    const type = await field.first().getAttribute("type");
    if (type === "radio" || type === "checkbox") {
      await page.locator(`[name="${name}"][value="${value}"]`).check();
    } else if ((await field.first().evaluate((e) => e.tagName)) === "SELECT") {
      await field.selectOption(value);
    } else {
      await field.fill(value);
    }
  }
  // Every kind of question meets WCAG 2.2 AA filled in (the sweep of every page sees these
  // pages only as a visitor who is sent to sign in).
  if (js && ["about-you", "referees", "addresses", "fostering"].includes(code)) {
    expect(await violations(page), `${code} filled in`).toEqual([]);
  }
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByTestId("saved"), `${code} saved and complete`).toBeVisible();
  if (js && code === "languages") expect(await violations(page), "the task list").toEqual([]);
  await expect(page.locator("body")).not.toContainText("There is a problem");
}

const address = (prefix: string, month: string, year: string): Answers => [
  [`${prefix}[line1]`, "12 Rue Bonaparte"],
  [`${prefix}[town]`, "Paris"],
  [`${prefix}[country]`, "France"],
  [`${prefix}[moved_in][month]`, month],
  [`${prefix}[moved_in][year]`, year],
];

function own(first: string, email: string, ni: string): [string, Answers][] {
  return [
    ["about-you", [
      ["other_names_used", "no"], ["gender", "female"],
      ["first_name", first], ["last_name", "O'Brien-Ng"],
      ["dob[day]", "29"], ["dob[month]", "2"], ["dob[year]", "1980"],
      ["country_of_birth", "Wales"], ["nationality", "British"], ["ethnicity", "white_british"],
      ["religion", "none"], ["ni_number", ni], ["phone", "+44 7700 900982"], ["email", email],
    ]],
    ["children-elsewhere", [["any", "no"]]],
    ["previous-partners", [["any", "none"]]],
    ["addresses", [...address("current[0]", "3", "2019"), ...address("previous[0]", "1", "2005")]],
    ["work", [["status", "not_working"], ["with_children", "no"]]],
    ["health", [
      ["disabled", "no"], ["conditions", "no"], ["gp_name", "Dr Ahmed"], ["gp_practice", "Fratton Surgery"],
      ["gp_phone", "023 9282 2251"], ["gp_address", "1 Fratton Road, Portsmouth"],
    ]],
    ["history", [["applied_before", "no"], ["approved_recently", "no"], ["court", "no"], ["armed_forces", "no"], ["council_link", "no"]]],
  ];
}

const referee = (i: number, kind: string, years: string): Answers => [
  [`referees[${i}][kind]`, kind], [`referees[${i}][name]`, `Referee ${i + 1}`], [`referees[${i}][relationship]`, "Friend"],
  [`referees[${i}][years_known]`, years], [`referees[${i}][email]`, `ref${i}@example.org`],
  [`referees[${i}][phone]`, "07700 900123"], [`referees[${i}][address]`, "1 High Street, Havant"],
];

const HOUSEHOLD: [string, Answers, string[]][] = [
  ["languages", [["main_language", "Cymraeg"], ["other_languages", "English, 中文"]], []],
  ["relationship", [["status", "civil_partnership"], ["since[day]", "1"], ["since[month]", "6"], ["since[year]", "2015"]], []],
  ["home", [["spare_bedroom", "yes"], ["tenure", "owned"], ["pets", "no"]], []],
  ["household", [["anyone_else", "no"]], []],
  ["referees", [...referee(0, "family", "40"), ...referee(1, "personal", "5"), ...referee(2, "personal", "12")], ["referees", "referees"]],
  ["fostering", [["types", "long_term"], ["types", "short_breaks"], ["how_many", "2"], ["why", "We have room and time."], ["age_from", "5"], ["age_to", "12"]], []],
];

const CONSENT: Answers = [["consent_checks", "yes"], ["consent_councils", "yes"], ["declaration", "yes"]];

test.describe("a household applying online", () => {
  test.use({ role: "assessor-portsmouth" });

  bothModes(() => {
    test("is invited, both fill in their parts, check their answers and send it; the worker sees it sent and the funnel counts it", async ({ page, js, request, browser, baseURL, errors, as }) => {
      test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
      // Two people fill in some twenty pages between them: minutes, not seconds, on a busy machine.
      test.setTimeout(300_000);
      const first = uniqueEmail("apply-one");
      const second = uniqueEmail("apply-two");
      // A campaign of its own, so the funnel's figures for it count this household alone.
      const source = `e2e-${uniqueTag()}`;
      const enquiry = await createEnquiry(request, { council: "portsmouth", email: first, name: "Siân O'Brien", source });

      // Staff move the enquiry through every stage before the application.
      await open(page, `/staff/enquiries/${enquiry.reference}`, js);
      const stage = async (label: string) => {
        if (js) await waitForHydration(page);
        await page.getByLabel(label, { exact: true }).check();
        await page.getByRole("button", { name: "Save stage" }).click();
        await expect(page.getByTestId("stage")).toContainText(label);
      };
      await stage("Contacted (information pack sent)");
      // The visit is booked with its own form: the household gets a calendar invitation.
      const day = new Date(Date.now() + 3 * 24 * 3600 * 1000);
      if (js) await waitForHydration(page);
      const visit = page.getByTestId("visit-form");
      await visit.getByLabel("Day").fill(String(day.getDate()));
      await visit.getByLabel("Month").fill(String(day.getMonth() + 1));
      await visit.getByLabel("Year").fill(String(day.getFullYear()));
      await visit.getByLabel("Time").fill("10:30");
      await visit.getByRole("button", { name: "Book the visit" }).click();
      await expect(page.getByTestId("stage")).toContainText("Initial visit booked");
      await expect(page.getByTestId("history")).toContainText("booked the initial visit for");
      await stage("Initial visit held");
      if (js) await waitForHydration(page);
      await page.getByLabel("Yes, a joint application").check();
      await page.getByLabel("Partner's full name").fill("Zoë Ng");
      await page.getByLabel("Partner's email address").fill(second);
      await page.getByRole("button", { name: "Invite to apply" }).click();
      await expect(page.getByTestId("stage")).toContainText("Invited to apply");
      await expect(page.getByTestId("history")).toContainText("invited the household to apply online, as joint applicants");

      // The first applicant: the progress page, then the household's sections and their own.
      const one = await signInByInvitation(browser, baseURL, js, first);
      await expect(one.getByTestId("next-step")).toContainText("Fill in each section");
      await one.getByTestId("continue-application").click();
      await expect(one.getByTestId("completed-count")).toContainText("0 of");
      for (const [code, answers, adds] of HOUSEHOLD) await fillSection(one, js, code, answers, adds);
      for (const [code, answers] of own("Siân", first, "JK 12 34 56 C")) await fillSection(one, js, code, answers);
      await fillSection(one, js, "consent", CONSENT);

      // Not yet: the partner's parts are missing, and the task list says so.
      await open(one, "/account/application", js);
      await expect(one.getByRole("link", { name: "Check your answers and send" })).toHaveCount(0);

      // The partner signs in with their own email and answers their own parts.
      const two = await signInByInvitation(browser, baseURL, js, second);
      for (const [code, answers] of own("Zoë", second, "AB 65 43 21 D")) await fillSection(two, js, code, answers);
      await fillSection(two, js, "consent", CONSENT);

      // Check the answers (names in any script survive) and send.
      await open(one, "/account/application", js);
      await one.getByRole("link", { name: "Check your answers and send" }).click();
      await expect(one.getByRole("heading", { name: "Check your answers before sending your application" })).toBeVisible();
      await expect(one.locator("body")).toContainText("English, 中文");
      await expect(one.locator("body")).toContainText("29 February 1980");
      if (js) await waitForHydration(one);
      if (js) expect(await violations(one), "check your answers").toEqual([]);
      await one.getByRole("button", { name: "Send application" }).click();
      await expect(one.getByTestId("application-sent")).toBeVisible();
      await expect(one.getByTestId("next-step")).toContainText("fostering panel by");

      // Locked: a section shows its answers, with nothing to change.
      await open(two, "/account/application/languages", js);
      await expect(two.getByTestId("locked")).toBeVisible();
      await expect(two.getByRole("button", { name: "Save and continue" })).toHaveCount(0);

      // The worker sees it sent, and reads it.
      await open(page, `/staff/enquiries/${enquiry.reference}`, js);
      await expect(page.getByTestId("stage")).toContainText("Application submitted");
      await expect(page.getByTestId("application-state")).toContainText("Sent");
      await page.getByTestId("read-application").click();
      await expect(page.locator("body")).toContainText("Cymraeg");
      await expect(page.locator("body")).toContainText("Zoë");

      // Portsmouth's team manager sees it counted in both funnel views: Ofsted's (this financial
      // year) and the cohort's (enquiries arriving this month, followed to their application).
      const manager = await as("manager-portsmouth");
      await open(manager, `/staff/funnel?source=${source}`, js);
      await expect(manager.getByTestId("ofsted-enquiries")).toHaveText("1");
      await expect(manager.getByTestId("ofsted-applications")).toHaveText("1");
      await open(manager, `/staff/funnel?view=cohort&source=${source}`, js);
      await expect(manager.getByTestId("reached-arrived")).toHaveText("1");
      await expect(manager.getByTestId("reached-invited")).toHaveText("1");
      await expect(manager.getByTestId("reached-applied")).toHaveText("1");
      if (js) expect(errors).toEqual([]);
    });
  });
});

test.describe("a household taking a break", () => {
  test.use({ role: "assessor-portsmouth" });

  bothModes(() => {
    test("pauses with a date, picks up again, then withdraws with a reason", async ({ page, js, request, browser, baseURL }) => {
      test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
      const email = uniqueEmail("pause");
      const enquiry = await createEnquiry(request, { council: "portsmouth", email, name: "Nia Jones" });
      await open(page, `/staff/enquiries/${enquiry.reference}`, js);
      if (js) await waitForHydration(page);
      await page.getByLabel("No, one applicant").check();
      await page.getByRole("button", { name: "Invite to apply" }).click();
      await expect(page.getByTestId("stage")).toContainText("Invited to apply");

      const household = await signInByInvitation(browser, baseURL, js, email);
      await household.getByRole("link", { name: "Pause your application" }).click();
      if (js) await waitForHydration(household);
      // A date in the past is refused beside the field, with what was typed kept.
      await household.getByLabel("Day").fill("1");
      await household.getByLabel("Month").fill("1");
      await household.getByLabel("Year").fill("2020");
      await household.getByRole("button", { name: "Pause my application" }).click();
      await expect(household.getByTestId("error-summary")).toContainText("must be in the future");
      await expect(household.getByLabel("Year")).toHaveValue("2020");
      const later = new Date(Date.now() + 30 * 24 * 3600 * 1000);
      await household.getByLabel("Day").fill(String(later.getDate()));
      await household.getByLabel("Month").fill(String(later.getMonth() + 1));
      await household.getByLabel("Year").fill(String(later.getFullYear()));
      await household.getByRole("button", { name: "Pause my application" }).click();
      await expect(household.getByTestId("household-changed")).toContainText("paused");
      await expect(household.getByTestId("paused")).toBeVisible();
      if (js) await waitForHydration(household);
      await household.getByRole("button", { name: "Pick up again now" }).click();
      await expect(household.getByTestId("household-changed")).toContainText("open again");

      await household.getByRole("link", { name: "Withdraw" }).click();
      await expect(household.getByText("3 years")).toBeVisible();
      if (js) await waitForHydration(household);
      await household.getByLabel("Our circumstances or timing have changed").check();
      await household.getByRole("button", { name: "Withdraw" }).click();
      await expect(household.getByTestId("household-changed")).toContainText("withdrawn");

      await open(page, `/staff/enquiries/${enquiry.reference}`, js);
      await expect(page.getByTestId("stage")).toContainText("Closed");
      await expect(page.getByTestId("stage")).toContainText("EQ-07");
      await expect(page.getByTestId("history")).toContainText("An applicant paused the enquiry until");
    });
  });
});
