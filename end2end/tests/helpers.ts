import { expect, Page } from "@playwright/test";

/** Collects console errors and uncaught exceptions so a test can assert there were none. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

/** Waits until Leptos has hydrated the page. */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

export function uniqueEmail(tag: string) {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Fills the enquiry form with valid answers. */
export async function fillValidEnquiry(page: Page, email: string) {
  await page.getByLabel("Full name").fill("Ann Smith");
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
