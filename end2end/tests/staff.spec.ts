import { Browser, expect, Page, test } from "@playwright/test";
import { waitForHydration, watchForErrors } from "./helpers";

const PASSWORD = "demo-password-2026";

async function signIn(page: Page, email: string, js: boolean) {
  await page.goto("/staff/sign-in");
  if (js) await waitForHydration(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff\/enquiries$/);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

async function referenceOf(browser: Browser, name: string): Promise<string> {
  const page = await browser.newPage();
  await signIn(page, "hub.officer@example.org", false);
  const link = page.getByRole("row", { name: new RegExp(name) }).getByRole("link");
  const href = await link.getAttribute("href");
  await page.close();
  return href!;
}

for (const js of [true, false]) {
  test.describe(js ? "staff, with JavaScript" : "staff, without JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("a hub officer sees every council's enquiries, and signing out ends the session", async ({ page }) => {
      const errors = watchForErrors(page);
      await signIn(page, "hub.officer@example.org", js);
      await expect(page.getByTestId("signed-in-as")).toContainText("Hub officer");
      const table = page.getByTestId("enquiry-table");
      await expect(table).toContainText("Amara Okafor"); // Portsmouth
      await expect(table).toContainText("Daniel Evans"); // Kent
      await expect(table).toContainText("George Wright"); // outside the region: the hub's

      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1/);
      await expect(page.getByText("You have signed out.")).toBeVisible();
      await page.goto("/staff/enquiries");
      await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
      if (js) expect(errors).toEqual([]);
    });

    test("a council assessor sees only their council's enquiries and can move one on", async ({ page, browser }) => {
      const kentEnquiry = await referenceOf(browser, "Daniel Evans");
      await signIn(page, "assessor.portsmouth@example.org", js);
      const table = page.getByTestId("enquiry-table");
      await expect(table).toContainText("Amara Okafor");
      await expect(table).not.toContainText("Daniel Evans");
      await expect(table).not.toContainText("George Wright");

      // Another council's enquiry cannot be opened.
      await page.goto(kentEnquiry);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.locator("body")).not.toContainText("Daniel Evans");

      // Their own can, and closing it needs a reason.
      await page.goto("/staff/enquiries");
      await page.getByRole("row", { name: /Hannah Lewis/ }).getByRole("link").click();
      await expect(page.getByRole("heading", { name: "Hannah Lewis" })).toBeVisible();
      if (js) await waitForHydration(page);
      await page.getByLabel("Closed", { exact: true }).check();
      await page.getByRole("button", { name: "Save status" }).click();
      await expect(page.getByTestId("error-summary")).toContainText("Select why the enquiry is closing");
      // The refused choice is still the one selected, so nothing they chose is lost.
      await expect(page.getByLabel("Closed", { exact: true })).toBeChecked();
      await page.getByLabel("Contacted").check();
      await page.getByRole("button", { name: "Save status" }).click();
      await expect(page.getByTestId("saved")).toBeVisible();
      // History reads as sentences with the person's name, never raw JSON.
      await expect(page.getByTestId("history")).toContainText(/Asha Assessor moved the enquiry (from .+ )?to Contacted/);
      await expect(page.getByTestId("history")).not.toContainText("{");
    });

    test("a wrong password shows the error summary and keeps the email", async ({ page }) => {
      await page.goto("/staff/sign-in");
      if (js) await waitForHydration(page);
      await page.getByLabel("Email address").fill("nobody@example.org");
      await page.getByLabel("Password").fill("wrong password here");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("error-summary")).toContainText("Enter a correct email address and password");
      await expect(page.getByLabel("Email address")).toHaveValue("nobody@example.org");
    });
  });
}

test("a workforce lead is refused the enquiry list", async ({ page }) => {
  await signIn(page, "workforce.lead@example.org", false);
  await page.goto("/staff/enquiries");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});
