import {
  test as base,
  BrowserContext,
  Page,
} from "@playwright/test";
import { authFile, Role } from "./roles";
import { watchForErrors } from "./page";

export { expect } from "@playwright/test";
export type { Role } from "./roles";

type Fixtures = {
  /** Sign `page` in as this demo role (the state the global setup saved); none: anonymous. */
  role: Role | undefined;
  /** Run with JavaScript (hydrated pages) or without (plain HTML and form posts). */
  js: boolean;
  /** Console errors and uncaught exceptions on `page`, collected from the start. */
  errors: string[];
  /** Another page, in its own browser context, signed in as `role` and in the same mode. */
  as: (role: Role) => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  role: [undefined, { option: true }],
  js: [true, { option: true }],
  javaScriptEnabled: async ({ js }, use) => use(js),
  storageState: async ({ role, storageState }, use) => use(role ? authFile(role) : storageState),
  errors: async ({ page }, use) => use(watchForErrors(page)),
  as: async ({ browser, baseURL, js }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (role) => {
      const context = await browser.newContext({ baseURL, javaScriptEnabled: js, storageState: authFile(role) });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});

/**
 * Declares the tests in `declare` twice: with JavaScript and without it (a browser context with
 * `javaScriptEnabled: false`), since every journey must work both ways. A test reads the `js`
 * fixture for the few steps that differ (waiting for hydration, mode-specific checks).
 */
export function bothModes(declare: () => void) {
  withJavaScript(declare);
  withoutJavaScript(declare);
}

/** Declares tests that run only with JavaScript (hydration, client-side behaviour). */
export function withJavaScript(declare: () => void) {
  test.describe("with JavaScript", () => {
    test.use({ js: true });
    declare();
  });
}

/** Declares tests that run only without JavaScript. */
export function withoutJavaScript(declare: () => void) {
  test.describe("without JavaScript", () => {
    test.use({ js: false });
    declare();
  });
}
