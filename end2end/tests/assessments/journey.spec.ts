import { Page } from "@playwright/test";
import { expect, test, withJavaScript } from "../../support/fixtures";
import { filledApplication } from "../../support/application";
import { addPanelToday, approveWithTerms, bookPanelAndSendPapers, readPapers } from "../../support/assessments";
import { uniqueEmail, uniqueName } from "../../support/data";
import { daysAgo, fillDate } from "../../support/dates";
import { MAIL_DIR, referenceLinkTo } from "../../support/mail";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// One household from its sent application to the carer register, without a step made up in the
// database: the manager allocates; the assessor records every Stage 1 check (one referee gives
// their reference through the emailed link, in a browser without JavaScript) and proceeds; the
// report is written and signed off section by section; the case goes to a panel whose member
// reads the papers and whose chair records the recommendation; the decision maker approves; the
// household is on the register with its terms. The household's own page is read after each
// step. The pieces are proven in both modes by the other specs in this folder; this is the
// whole of it in one go.

const SECTIONS = ["front_sheet", "a1", "a2", "b1", "b2", "b3", "c"];

/** The household's own page, read again: its stage, and what it says happens next. */
async function householdSees(household: Page, stage: string, next: string | RegExp) {
  await open(household, "/account", true);
  await expect(household.getByRole("heading", { name: "Where your application is" })).toBeVisible();
  await expect(household.locator(".summary-list").first()).toContainText(stage);
  await expect(household.getByTestId("next-step")).toContainText(next);
}

test.describe("an application from allocation to the carer register", () => {
  test.use({ role: "manager-portsmouth" });

  withJavaScript(() => {
    test("is allocated, checked, reported on, recommended and approved, and the household's page shows each step", async ({ page, as, request, browser, baseURL, errors }) => {
      test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
      // A dozen people's screens, some forty form posts: minutes on a busy machine.
      test.setTimeout(480_000);
      const last = uniqueName().split(" ")[2];
      const name = `Robin ${last}`;
      const referees = [uniqueEmail("referee-a"), uniqueEmail("referee-b"), uniqueEmail("referee-c")];
      const { reference, household } = await filledApplication(page, request, browser, baseURL, true, {
        first: "Robin", last, email: uniqueEmail("journey"), referees,
      });

      // The household sends it, and it becomes a case waiting for an assessor.
      await open(household, "/account/application", true);
      await household.getByRole("link", { name: "Check your answers and send" }).click();
      await waitForHydration(household);
      await household.getByRole("button", { name: "Send application" }).click();
      await expect(household.getByTestId("application-sent")).toBeVisible();
      await householdSees(household, "an assessing social worker is being chosen", "fostering panel by");

      // The manager allocates it.
      const casePath = `/staff/assessments/${reference}`;
      await open(page, casePath, true);
      await expect(page.getByRole("heading", { name })).toBeVisible();
      await page.getByRole("link", { name: "Allocate the case" }).click();
      await waitForHydration(page);
      await page.getByLabel("Assessor").selectOption({ label: "Asha Assessor" });
      await page.getByRole("button", { name: "Allocate" }).click();
      await expect(page.getByTestId("saved")).toContainText("The case is allocated");
      await householdSees(household, "Assessment Stage 1: checks and references", "plan your assessment");
      await expect(household.locator("body")).toContainText("Asha Assessor");
      const checks = household.getByTestId("household-checks");
      await expect(checks).toContainText("Referee A Smith");
      await expect(checks.getByText("Done")).toHaveCount(0);

      // The assessor sends the first referee their link; the referee answers without JavaScript.
      const asha = await as("assessor-portsmouth");
      await open(asha, casePath, true);
      const stage1 = asha.getByRole("table", { name: /^Stage 1 checks/ });
      await stage1.getByRole("row").filter({ hasText: "Referee A Smith" }).getByRole("link", { name: /^Record/ }).click();
      await waitForHydration(asha);
      await asha.getByRole("button", { name: "Send the link" }).click();
      await expect(asha.getByTestId("saved")).toContainText("The link is sent");
      let link = "";
      await expect.poll(() => (link = referenceLinkTo(referees[0])), { timeout: 30_000 }).not.toBe("");
      const refereeBrowser = await browser.newContext({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
      const form = await refereeBrowser.newPage();
      await form.goto(link);
      await expect(form.getByRole("heading", { name: "Give a reference" })).toBeVisible();
      await form.getByLabel("How do you know the applicants?").fill("We have worked together for twelve years");
      await form.getByRole("button", { name: /send/i }).click();
      await expect(form.getByTestId("reference-sent")).toBeVisible();
      await refereeBrowser.close();
      await open(household, "/account", true);
      await expect(checks.getByRole("listitem").filter({ hasText: "Referee A Smith" })).toContainText("Done");

      // The assessor records every other Stage 1 check, one by one, until none is waiting.
      await open(asha, casePath, true);
      const waiting = stage1.getByRole("row").filter({ hasText: "Waiting" });
      for (let left = await waiting.count(); left > 0; left = await waiting.count()) {
        await waiting.first().getByRole("link", { name: /^Record/ }).click();
        await waitForHydration(asha);
        await fillDate(asha, "requested_on", daysAgo(20));
        await fillDate(asha, "received_on", daysAgo(1));
        await asha.getByLabel("Clear").check();
        await asha.getByRole("button", { name: "Save the check" }).click();
        await expect(asha.getByTestId("saved")).toContainText("The check is recorded");
        await open(asha, casePath, true);
        await expect(waiting).toHaveCount(left - 1);
      }
      await expect(stage1.locator("caption")).toContainText(/Stage 1 checks: (\d+) of \1 received/);

      // Proceed to Stage 2.
      await asha.getByRole("link", { name: "Record the Stage 1 decision" }).click();
      await waitForHydration(asha);
      await asha.getByLabel("Proceed to Stage 2").check();
      await asha.getByRole("button", { name: "Record the decision" }).click();
      await expect(asha.getByTestId("saved")).toBeVisible();
      await householdSees(household, "Assessment Stage 2: the assessment report", "writing the report with you");

      // The report: the assessor readies each section and the manager signs each off.
      for (const section of SECTIONS) {
        await open(asha, `${casePath}/report/${section}`, true);
        await asha.getByLabel("Ready for the manager's sign-off").check();
        await asha.getByLabel("Your notes").fill("Seen with the household.");
        await asha.getByRole("button", { name: "Save the section" }).click();
        await expect(asha.getByTestId("saved")).toContainText("The section is saved");
        await open(page, `${casePath}/report/${section}`, true);
        await page.getByLabel("Sign off the section").check();
        await page.getByRole("button", { name: "Record the decision" }).click();
        await expect(page.getByTestId("saved")).toContainText("The manager's decision on the section is recorded");
      }
      await open(page, casePath, true);
      await expect(page.getByTestId("report-progress")).toContainText("7 of 7 sections of Form F signed off");

      // A panel today: booked, the papers sent and read by a member.
      const panelName = `Panel ${last}`;
      const panelPath = await addPanelToday(page, true, panelName);
      await bookPanelAndSendPapers(asha, true, reference, panelName);
      await householdSees(household, "Going to the fostering panel", "will go to the fostering panel on");
      await readPapers(await as("panel-member"), true, panelName, name);

      // The chair records the panel's recommendation with everyone present.
      const chair = await as("chair-kent");
      await open(chair, `${panelPath}/cases/${reference}`, true);
      await chair.getByRole("link", { name: "Record the recommendation" }).click();
      await waitForHydration(chair);
      const present = chair.getByRole("group", { name: "Who was present?" }).getByRole("checkbox");
      // Wait for the form (`all()` does not), then tick everyone.
      await expect(present).toHaveCount(3);
      for (const box of await present.all()) await box.check();
      await chair.getByRole("group", { name: "What does the panel recommend?" }).getByLabel("Approve as foster carers").check();
      await chair.getByLabel("The panel's reasons").fill("A calm home with room for two.");
      await chair.getByLabel("Minutes").fill("The panel met the assessor and read the report.");
      await chair.getByRole("button", { name: "Record the recommendation" }).click();
      await expect(chair.getByTestId("saved")).toContainText("The recommendation is recorded");
      await householdSees(household, "Waiting for the agency decision", "will decide by");

      // The decision maker approves; the household is on the register with its terms.
      await approveWithTerms(await as("decision-maker"), true, reference);
      await householdSees(household, "Approved as foster carers", "You were approved as foster carers on");
      await open(page, `/staff/carers/portsmouth/${reference}`, true);
      await expect(page.getByRole("heading", { name })).toBeVisible();
      await expect(page.locator("body")).toContainText("Up to 2 children aged 0 to 17: long-term");
      expect(await violations(household), "the household's page once approved").toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
