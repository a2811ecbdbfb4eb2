import { bothModes, expect, test } from "../../support/fixtures";
import { open } from "../../support/page";
import { PASSWORD, Role, ROLES } from "../../support/roles";
import { freshCode } from "../../support/totp";

// Signing in and out. These tests sign in through the page, never with a saved sign-in:
// signing out ends the session everywhere, which would sign out every test sharing it.

bothModes(() => {
  test("a member of staff signs in, and signing out ends the session", async ({ page, js, errors }) => {
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Email address").fill(ROLES["hub-officer"]);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Hub officers see applicants' details: two-factor is required (enrolled in the setup).
    await expect(page).toHaveURL(/\/staff\/sign-in\/code$/);
    await page.getByLabel("Code", { exact: true }).fill(await freshCode(ROLES["hub-officer"]));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/staff\/enquiries$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("Hub officer");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1/);
    await expect(page.getByText("You have signed out.")).toBeVisible();
    await page.goto("/staff/enquiries");
    await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
    if (js) expect(errors).toEqual([]);
  });

  test("a wrong password shows the error summary and keeps the email", async ({ page, js }) => {
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Email address").fill("nobody@example.org");
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("error-summary")).toContainText("Enter a correct email address and password");
    await expect(page.getByLabel("Email address")).toHaveValue("nobody@example.org");
  });
});

// The saved sign-ins the other tests start from are who they claim to be.
const LABELS: Record<Role, RegExp> = {
  "hub-officer": /Hub officer, .*Regional/,
  "assessor-portsmouth": /Assessor, Portsmouth/,
  "manager-portsmouth": /Team manager, Portsmouth/,
  "assessor-kent": /Assessor, Kent/,
  "workforce-lead": /Workforce lead/,
  "placement-officer": /Placement officer/,
  "ssw-portsmouth": /Supervising social worker, Panel member, Portsmouth/,
  "placements-portsmouth": /Placement officer, Portsmouth/,
  administrator: /Administrator/,
  "panel-member": /Panel member, no council/,
  "chair-kent": /Team manager, Panel chair, Kent/,
  "decision-maker": /Agency decision maker, .*Regional/,
  commissioner: /Commissioner or analyst, .*Regional/,
};
for (const role of Object.keys(ROLES) as Role[]) {
  test.describe(() => {
    test.use({ role, js: false });
    test(`the saved sign-in for ${role} is that role`, async ({ page }) => {
      await page.goto("/staff/enquiries");
      await expect(page.getByTestId("signed-in-as")).toContainText(LABELS[role]);
    });
  });
}
