import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";

// The report and an ending, each refused first and then saved: the assessor readies a section
// and records preparation training; the manager is refused sending it back without a note, then
// signs it off; the assessor ends the case with an AW code; the manager reads Ofsted's figures.
// Each mode uses its own case.

function stageTwoCase(reference: string, household: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the case");
  execFileSync("psql", [
    url,
    "-qtAc",
    `insert into assessment (council_id, reference, household_name, received_on, assessor_id,
                             stage, stage1_decision, stage1_decided_on)
     select c.council_id, '${reference}', '${household}', current_date - 150, s.staff_user_id,
            'stage2', 'proceed', current_date - 90
     from council c, staff_user s
     where c.code = 'portsmouth' and s.email = 'assessor.portsmouth@example.org'`,
  ]);
}

test.describe("the assessment report and an ending", () => {
  test.use({ role: "assessor-portsmouth" });

  bothModes(() => {
    test("a section is signed off, training recorded, and the case ended with its code", async ({ page, js, as, errors }) => {
      test.setTimeout(180_000);
      const settle = async (p = page) => {
        if (js) await waitForHydration(p);
      };
      const tag = `${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      const reference = `FH-RPT-${tag}`;
      const household = `Report Journey ${tag}`;
      stageTwoCase(reference, household);

      await open(page, `/staff/assessments/${reference}`, js);
      await expect(page.getByTestId("report-progress")).toContainText("0 of 7 sections of Form F signed off");
      await page.getByRole("link", { name: "Open the report" }).click();
      await settle();
      // Preparation: refused without the applicant and date, then recorded.
      await page.getByRole("button", { name: "Record the training" }).click();
      await expect(page.locator(".error-summary")).toContainText("Select which applicant completed the training");
      await settle();
      await page.getByRole("group", { name: "Who completed preparation training?" }).getByLabel(household).check();
      const d = new Date();
      await page.locator('[name="completed_on[day]"]').fill(String(d.getDate()));
      await page.locator('[name="completed_on[month]"]').fill(String(d.getMonth() + 1));
      await page.locator('[name="completed_on[year]"]').fill(String(d.getFullYear()));
      await page.getByRole("button", { name: "Record the training" }).click();
      await expect(page.getByTestId("saved")).toContainText("The preparation training is recorded");
      await expect(page.locator("body")).toContainText("Skills to Foster, completed on");
      await settle();

      await page.getByRole("link", { name: "Section B1: history, family and lifestyle" }).click();
      await settle();
      await page.getByLabel("Ready for the manager's sign-off").check();
      await page.getByLabel("Your notes").fill("Met the household three times.");
      await page.getByRole("button", { name: "Save the section" }).click();
      await expect(page.getByTestId("saved")).toContainText("The section is saved");

      // The manager: refused sending it back without a note, then signs it off.
      const manager = await as("manager-portsmouth");
      await open(manager, `/staff/assessments/${reference}/report/b1`, js);
      await manager.getByLabel("Send it back to the assessor with a note").check();
      await manager.getByRole("button", { name: "Record the decision" }).click();
      await expect(manager.locator(".error-summary")).toContainText("Enter what the assessor needs to change");
      await settle(manager);
      await manager.getByLabel("Sign off the section").check();
      await manager.getByRole("button", { name: "Record the decision" }).click();
      await expect(manager.getByTestId("saved")).toContainText("The manager's decision on the section is recorded");
      await expect(manager.locator("body")).toContainText("Signed off by Tom Manager");

      // The assessor ends the case: refused without a reason, then ended with AW2.
      await open(page, `/staff/assessments/${reference}/end`, js);
      await page.getByLabel("Note").fill("They have decided to wait a year.");
      await page.getByRole("button", { name: "End the assessment" }).click();
      await expect(page.locator(".error-summary")).toContainText("Select why the assessment is ending");
      await expect(page.getByLabel("Note")).toHaveValue("They have decided to wait a year.");
      await settle();
      await page.getByLabel(/^AW2:/).check();
      await page.getByRole("button", { name: "End the assessment" }).click();
      await expect(page.getByTestId("saved")).toContainText("The case is ended");
      await expect(page.locator("body")).toContainText("Withdrawn before panel (AW2");

      // Ofsted's figures count it.
      await open(manager, "/staff/assessments/figures", js);
      await expect(manager.getByRole("heading", { name: /Assessment figures/ })).toBeVisible();
      await expect(manager.getByTestId("withdrawals")).toContainText("AW2");
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
