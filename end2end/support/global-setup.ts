import { chromium, FullConfig } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { authFile, PASSWORD, Role, ROLES } from "./roles";
import { pageRoutes } from "./routes";
import { freshCode, resetSecrets, saveSecret } from "./totp";

/**
 * Runs once before the tests:
 * - checks the route list can be read from the server binary (`server routes`), which the
 *   accessibility sweep reads to check every page the app declares, including pages added later;
 * - signs in as every demo role through the sign-in page and saves each browser state to
 *   `.auth/<role>.json`, so tests start signed in rather than each signing in again. The server
 *   requires two-factor (as in production), so each role that must use it enrols here: the
 *   secret is read from the enrolment page, the first code computed from it (`totp.ts`), and
 *   the secret saved for tests that sign in through the page later (`freshCode`).
 */
export default async function globalSetup(config: FullConfig) {
  pageRoutes();

  const { baseURL, launchOptions } = config.projects[0].use;
  fs.mkdirSync(path.dirname(authFile("administrator")), { recursive: true });
  resetSecrets();
  const browser = await chromium.launch(launchOptions);
  try {
    // One at a time: argon2 makes each sign-in deliberately costly, and the machine is small.
    for (const role of Object.keys(ROLES) as Role[]) {
      const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto("/staff/sign-in");
      await page.getByLabel("Email address").fill(ROLES[role]);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForLoadState();
      if (new URL(page.url()).pathname === "/staff/two-factor/enrol") {
        const secret = await page.getByTestId("two-factor-secret").getAttribute("data-secret");
        if (!secret) throw new Error(`no two-factor secret shown to ${role}`);
        saveSecret(ROLES[role], secret);
        await page.getByLabel("Code", { exact: true }).fill(await freshCode(ROLES[role], secret));
        await page.getByRole("button", { name: "Confirm and continue" }).click();
        await page.getByTestId("recovery-codes").waitFor({ timeout: 20_000 });
        await page.getByRole("link", { name: /continue/ }).click();
      }
      await page.getByTestId("signed-in-as").waitFor({ timeout: 20_000 }).catch(() => {
        throw new Error(`signing in as ${role} (${ROLES[role]}) failed at ${page.url()}: is the demo data loaded (DEMO_DATA=1)?`);
      });
      await context.storageState({ path: authFile(role) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
