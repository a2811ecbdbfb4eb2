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

/** Waits until Leptos has hydrated the page (the app marks the body once its effects run). */
export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

/** Opens a page and, with JavaScript on, waits until it is interactive. */
export async function open(page: Page, path: string, js: boolean) {
  await page.goto(path);
  if (js) await waitForHydration(page);
}

/** A marker on window survives client-side navigation but not a full page load. */
export async function markPage(page: Page) {
  await page.evaluate(() => ((window as any).__noReload = true));
}

export async function wasReloaded(page: Page): Promise<boolean> {
  return (await page.evaluate(() => (window as any).__noReload)) !== true;
}
