import { Browser, Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";
import * as fs from "node:fs";
import * as path from "node:path";

// The register from a supervising social worker's side: a household's places are worked out
// from its placements and holds, never typed; recording a placement takes a vacancy, ending it
// gives it back, and the history says why. Then a foster carer confirms their availability in
// the carer portal. Each mode uses its own household, so the two runs never share a vacancy.

const MAIL_DIR = process.env.MAIL_DIR;

async function vacant(page: Page): Promise<number> {
  return Number(await page.getByTestId("vacant").innerText());
}

function today(): { day: string; month: string; year: string } {
  const d = new Date();
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

async function fillDate(page: Page, name: string, d: { day: string; month: string; year: string }) {
  await page.locator(`[name="${name}[day]"]`).fill(d.day);
  await page.locator(`[name="${name}[month]"]`).fill(d.month);
  await page.locator(`[name="${name}[year]"]`).fill(d.year);
}

test.describe("the carer register", () => {
  test.use({ role: "ssw-portsmouth" });

  bothModes(() => {
    test("a placement takes a vacancy, ending it gives it back, and the history says why", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      const household = js ? "PTH-003" : "PTH-002";
      const child = `E2E-${js ? "J" : "N"}-${Date.now() % 100000}`;
      await open(page, "/staff/carers", js);
      await expect(page.getByTestId("households")).toContainText(household);
      await expect(page.getByTestId("households")).not.toContainText("KEN-401");
      await page.getByRole("link", { name: js ? "Chris and Pat Lewis" : "Jordan Reid" }).click();
      if (js) await waitForHydration(page);
      const before = await vacant(page);
      expect(before).toBeGreaterThan(0);
      if (js) expect(await violations(page), "the household's page").toEqual([]);

      await page.getByRole("link", { name: "Record a placement" }).click();
      if (js) await waitForHydration(page);
      // Refused first: no date of birth. The summary names it and what was typed stays.
      await page.getByLabel("The council's reference for the child").fill(child);
      await page.getByLabel("Girl").check();
      await page.getByLabel("Long-term").check();
      await fillDate(page, "start_on", today());
      await page.getByRole("button", { name: "Record the placement" }).click();
      await expect(page.locator(".error-summary")).toContainText("Enter the child's date of birth");
      await expect(page.getByLabel("The council's reference for the child")).toHaveValue(child);
      if (js) expect(await violations(page), "the placement form with errors").toEqual([]);
      await fillDate(page, "child_date_of_birth", { day: "3", month: "4", year: String(new Date().getFullYear() - 14) });
      await page.getByRole("button", { name: "Record the placement" }).click();
      await expect(page.getByTestId("saved")).toContainText("The placement is recorded");
      await expect(page.getByTestId("vacant")).toHaveText(String(before - 1));
      await expect(page.getByTestId("placements")).toContainText(child);
      await expect(page.getByTestId("history")).toContainText(`recorded a long-term placement of child ${child}`);

      // The child leaves today: the place is free again today.
      await page.getByRole("link", { name: `End the placement of ${child}` }).click();
      if (js) await waitForHydration(page);
      await fillDate(page, "ended_on", today());
      await page.getByLabel("Returned home").check();
      await page.getByRole("button", { name: "End the placement" }).click();
      await expect(page.getByTestId("saved")).toContainText("The placement has ended");
      await expect(page.getByTestId("vacant")).toHaveText(String(before));
      await expect(page.getByTestId("history")).toContainText(`ended the placement of child ${child}`);
      // The one refusal made on purpose (answered 422) is the only error.
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});

function decoded(message: string): string {
  return message.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The newest sign-in token emailed to `to`. */
function signInLinkTo(to: string, after: number): string {
  if (!MAIL_DIR || !fs.existsSync(MAIL_DIR)) return "";
  const found = fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => path.join(MAIL_DIR, f))
    .filter((f) => fs.statSync(f).mtimeMs >= after)
    .map((f) => decoded(fs.readFileSync(f, "utf8")))
    .filter((m) => m.includes(to))
    .map((m) => m.match(/\/account\/sign-in\/([A-Za-z0-9_-]{43})/)?.[1] ?? "")
    .filter((t) => t !== "");
  return found[found.length - 1] ?? "";
}

async function carerSignsIn(browser: Browser, baseURL: string | undefined, js: boolean, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: js, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const asked = Date.now() - 1000;
  await open(page, "/account/sign-in", js);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: /Send/ }).click();
  let token = "";
  await expect.poll(() => (token = signInLinkTo(email, asked)), { timeout: 20_000 }).not.toBe("");
  await open(page, `/account/sign-in/${token}`, js);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account/);
  return page;
}

test.describe("the carer portal", () => {
  bothModes(() => {
    test("a foster carer sees their household and confirms their availability", async ({ browser, baseURL, js }) => {
      test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
      test.setTimeout(120_000);
      // Each mode its own carer (Kent's and Portsmouth's), so neither run sees the other's change.
      const [email, name] = js
        ? ["alex.okafor@example.org", "Alex and Sam Okafor"]
        : ["ola.adeyemi@example.org", "Ola and Ben Adeyemi"];
      const page = await carerSignsIn(browser, baseURL, js, email);
      await page.getByTestId("household-link").click();
      if (js) await waitForHydration(page);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
      if (js) expect(await violations(page), "the carer's household page").toEqual([]);
      await page.getByRole("button", { name: "Confirm" }).click();
      await expect(page.locator(".error-summary")).toContainText("Select whether you can take children");
      await page.getByLabel("Yes, as our approval allows").check();
      await page.getByRole("button", { name: "Confirm" }).click();
      await expect(page.getByTestId("saved")).toContainText("your availability is confirmed");
      await expect(page.locator("body")).toContainText("You last confirmed on");
    });
  });
});
