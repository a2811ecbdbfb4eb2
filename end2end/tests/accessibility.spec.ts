import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";

// WCAG 2.2 AA, as UK public services must meet, checked by axe-core in a real browser.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

async function signIn(page: Page, email: string) {
  await page.goto("/staff/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("demo-password-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

// axe runs as a script in the page, so these pages run with JavaScript.
test.describe("accessibility (WCAG 2.2 AA)", () => {
  test("the public pages, including the form showing errors, have no violations", async ({ page }) => {
    for (const path of ["/", "/enquire", "/enquire/thank-you/FH-0000-0000", "/staff/sign-in", "/no-such-page"]) {
      await page.goto(path);
      expect(await violations(page), path).toEqual([]);
    }
    await page.goto("/enquire");
    await page.getByRole("button", { name: "Send enquiry" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    expect(await violations(page), "enquiry form with errors").toEqual([]);
  });

  test("the staff pages have no violations", async ({ page }) => {
    await signIn(page, "admin@example.org");
    for (const path of ["/staff/enquiries", "/staff/councils", "/staff/mail"]) {
      await page.goto(path);
      expect(await violations(page), path).toEqual([]);
    }
    await page.goto("/staff/enquiries");
    await page.getByTestId("enquiry-table").getByRole("link").first().click();
    await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
    expect(await violations(page), "enquiry page").toEqual([]);
  });
});

test("the accessibility check itself catches a real violation", async ({ page }) => {
  // Guards against a check that cannot fail: an unlabelled input must be reported.
  await page.goto("/");
  await page.evaluate(() => document.querySelector("main")!.insertAdjacentHTML("beforeend", '<input type="text">'));
  expect((await violations(page)).some((v) => v.startsWith("label:"))).toBe(true);
});
