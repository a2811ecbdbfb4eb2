import { bothModes, expect, test } from "../../support/fixtures";
import { open } from "../../support/page";
import { PASSWORD, ROLES } from "../../support/roles";
import { freshCode } from "../../support/totp";

// An independent panel member belongs to no council: signing in lands them on their own panels
// page, the staff bar offers nothing else, and other staff pages refuse them.

bothModes(() => {
  test("an independent panel member lands on their panels and is offered nothing else", async ({ page, js, errors }) => {
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Email address").fill(ROLES["panel-member"]);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Panel papers carry applicants' details: two-factor is required (enrolled in the setup).
    await expect(page).toHaveURL(/\/staff\/sign-in\/code$/);
    await page.getByLabel("Code", { exact: true }).fill(await freshCode(ROLES["panel-member"]));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/staff\/panels$/);
    await expect(page.getByRole("heading", { name: "Your panels" })).toBeVisible();
    await expect(page.getByTestId("signed-in-as")).toContainText("Panel member, no council");
    const links = page.getByRole("navigation", { name: "Staff" }).getByRole("link");
    // Their own two-factor settings are theirs, whatever their role.
    await expect(links).toHaveText(["Panels", "Two-factor sign-in"]);
    if (js) expect(errors).toEqual([]);
  });
});

test.describe(() => {
  test.use({ role: "panel-member", js: false });
  test("other staff pages refuse an independent panel member", async ({ page }) => {
    for (const path of ["/staff/enquiries", "/staff/councils", "/staff/mail", "/staff/jobs"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    }
  });
});
