import { expect, test } from "@playwright/test";
import { fillValidEnquiry, uniqueEmail, waitForHydration, watchForErrors } from "./helpers";

const REFERENCE = /^FH-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("an enquiry is sent and the reference shown", async ({ page }) => {
    await page.goto("/enquire?source=spring-radio");
    await fillValidEnquiry(page, uniqueEmail("nojs"));
    await page.getByRole("button", { name: "Send enquiry" }).click();

    await expect(page).toHaveURL(/\/enquire\/thank-you\/FH-/);
    await expect(page.getByRole("heading", { name: "Enquiry sent" })).toBeVisible();
    await expect(page.getByTestId("reference")).toHaveText(REFERENCE);
  });

  test("bad input shows the error summary and field messages and keeps what was typed", async ({ page }) => {
    await page.goto("/enquire");
    await page.getByLabel("Full name").fill("Ann Smith");
    await page.getByLabel("Email address").fill("not-an-email");
    await page.getByLabel("Postcode").fill("ZZ99 9ZZZ");
    await page.getByLabel("Long-term fostering").check();
    const response = page.waitForResponse((r) => r.url().endsWith("/enquire") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Send enquiry" }).click();
    expect((await response).status()).toBe(422);

    const summary = page.getByTestId("error-summary");
    await expect(summary).toBeVisible();
    await expect(summary.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(summary.getByRole("link", { name: /Enter an email address in the correct format/ })).toHaveAttribute("href", "#email");
    await expect(summary.getByRole("link", { name: "Enter a real UK postcode, like PO1 2AB" })).toBeVisible();
    await expect(page.locator("#email-error")).toContainText("Enter an email address in the correct format");
    await expect(page.locator("#phone-error")).toContainText("Enter a phone number");
    await expect(page).toHaveTitle(/^Error: /);

    // What they typed is still there.
    await expect(page.getByLabel("Full name")).toHaveValue("Ann Smith");
    await expect(page.getByLabel("Email address")).toHaveValue("not-an-email");
    await expect(page.getByLabel("Postcode")).toHaveValue("ZZ99 9ZZZ");
    await expect(page.getByLabel("Long-term fostering")).toBeChecked();
  });

  test("hostile text is shown back escaped, never run", async ({ page }) => {
    let dialogs = 0;
    page.on("dialog", (d) => { dialogs++; d.dismiss(); });
    await page.goto("/enquire");
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await page.getByLabel("Full name").fill(hostile);
    await page.getByRole("button", { name: "Send enquiry" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await expect(page.getByLabel("Full name")).toHaveValue(hostile);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    expect(dialogs).toBe(0);
  });
});

test.describe("with JavaScript", () => {
  test("the page hydrates without console errors", async ({ page }) => {
    const errors = watchForErrors(page);
    await page.goto("/enquire");
    await waitForHydration(page);
    expect(errors).toEqual([]);
  });

  test("an enquiry is sent without a full page reload and the reference shown", async ({ page }) => {
    const errors = watchForErrors(page);
    await page.goto("/enquire");
    await waitForHydration(page);
    await fillValidEnquiry(page, uniqueEmail("js"));
    // A marker on window survives client-side navigation but not a reload.
    await page.evaluate(() => ((window as any).__noReload = true));
    await page.getByRole("button", { name: "Send enquiry" }).click();

    await expect(page).toHaveURL(/\/enquire\/thank-you\/FH-/);
    await expect(page.getByTestId("reference")).toHaveText(REFERENCE);
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
    expect(errors).toEqual([]);
  });

  test("bad input shows the error summary, focuses it, and keeps what was typed", async ({ page }) => {
    await page.goto("/enquire");
    await waitForHydration(page);
    await page.getByLabel("Full name").fill("Ann Smith");
    await page.getByLabel("Email address").fill("ann@example");
    await page.getByLabel("Phone number").fill("12345");
    await page.evaluate(() => ((window as any).__noReload = true));
    const response = page.waitForResponse((r) => r.url().includes("/api/enquiries/submit"));
    await page.getByRole("button", { name: "Send enquiry" }).click();
    expect((await response).status()).toBe(422);

    const summary = page.getByTestId("error-summary");
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(summary.getByRole("link", { name: "Enter a UK phone number, like 07700 900 982" })).toHaveAttribute("href", "#phone");
    await expect(page.locator("#council-error")).toContainText("Select the council area you live in");
    await expect(page.getByLabel("Full name")).toHaveValue("Ann Smith");
    await expect(page.getByLabel("Phone number")).toHaveValue("12345");
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

    // Following a summary link moves to the field.
    await summary.getByRole("link", { name: /phone number/i }).click();
    await expect(page.getByLabel("Phone number")).toBeFocused();
  });

  test("a double click sends one enquiry", async ({ page }) => {
    await page.goto("/enquire");
    await waitForHydration(page);
    await fillValidEnquiry(page, uniqueEmail("double"));
    const posts: number[] = [];
    page.on("request", (r) => { if (r.url().includes("/api/enquiries/submit")) posts.push(1); });
    await page.getByRole("button", { name: "Send enquiry" }).dblclick();
    await expect(page.getByTestId("reference")).toHaveText(REFERENCE);
    expect(posts.length).toBe(1);
  });
});
