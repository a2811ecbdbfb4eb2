import { Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { markPage, open, wasReloaded } from "../../support/page";
import * as fs from "node:fs";
import * as path from "node:path";

// Household members sign in by an emailed link: asking for it, reading it from the local mail
// folder, opening it (a page with only a button: mail scanners open links) and pressing the
// button. Referees reach one form by a link a staff member made. Both work with and without
// JavaScript.

const MAIL_DIR = process.env.MAIL_DIR;

/** Demo applicants (`DEMO_MEMBERS` in server/src/seed.rs): one per mode, so the two run at once. */
const MEMBERS = {
  js: { email: "applicant.kent@example.org", name: "Priya Shah", council: "Kent County Council" },
  plain: { email: "applicant@example.org", name: "Sam Taylor", council: "Portsmouth City Council" },
};

/** A message's text with quoted-printable soft breaks and escapes undone (long lines wrap). */
function decoded(message: string): string {
  return message.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The sign-in link tokens emailed to `to`, oldest first. */
function tokensSentTo(to: string): string[] {
  if (!MAIL_DIR || !fs.existsSync(MAIL_DIR)) return [];
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => path.join(MAIL_DIR, f))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .map((f) => decoded(fs.readFileSync(f, "utf8")))
    .filter((m) => m.includes(to) && m.includes("/account/sign-in/"))
    .map((m) => m.match(/\/account\/sign-in\/([A-Za-z0-9_-]{43})/)![1]);
}

async function askForLink(page: Page, js: boolean, email: string): Promise<string> {
  const before = new Set(tokensSentTo(email));
  await open(page, "/account/sign-in", js);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("check-email")).toHaveText("Check your email");
  let token = "";
  await expect
    .poll(() => (token = tokensSentTo(email).find((t) => !before.has(t)) ?? ""), { timeout: 15_000 })
    .not.toBe("");
  return token;
}

test.describe("a household member signing in by an emailed link", () => {
  bothModes(() => {
    test("asks for a link, opens it, presses the button and sees their own page", async ({ page, js, errors }) => {
      test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
      const member = js ? MEMBERS.js : MEMBERS.plain;
      const token = await askForLink(page, js, member.email);

      await open(page, `/account/sign-in/${token}`, js);
      await expect(page.getByRole("heading", { name: "Sign in to Fostering Hub" })).toBeVisible();
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByRole("heading", { name: "Your application" })).toBeVisible();
      await expect(page.getByTestId("member-name")).toHaveText(member.name);
      await expect(page.getByText(member.council)).toBeVisible();
      if (js) expect(errors).toEqual([]);

      // The link worked once: opened again, its button is refused with a way to ask again.
      await open(page, `/account/sign-in/${token}`, js);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("link-refused")).toBeVisible();
      await expect(page.getByRole("link", { name: "Ask for a new sign-in link" })).toBeVisible();

      // Still signed in; signing out ends it.
      await open(page, "/account", js);
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/account\/sign-in\?signed_out=1/);
      await open(page, "/account", js);
      await expect(page).toHaveURL(/\/account\/sign-in$/);
    });
  });
});

test.describe("a referee with a link", () => {
  bothModes(() => {
    test("fills in the one form, is asked to fix a gap, and sends it once", async ({ page, js, as }) => {
      // A staff member who moves applications on makes the link (its path is shown this once).
      const staff = await as("hub-officer");
      const made = await staff.request.post("/api/accounts/referee-link", {
        data: { link: { subject_id: crypto.randomUUID(), holder_email: "referee@example.com" } },
      });
      expect(made.status()).toBe(200);
      const link: string = await made.json();
      expect(link).toMatch(/^\/reference\/[A-Za-z0-9_-]{43}$/);

      await open(page, link, js);
      if (js) await markPage(page);
      const form = page.getByTestId("referee-form");
      await form.getByLabel("Anything we should know? (optional)").fill("They are kind");
      await form.getByRole("button", { name: "Send reference" }).click();
      await expect(page.getByTestId("error-summary")).toContainText("Enter how you know the applicants");
      await expect(form.getByLabel("Anything we should know? (optional)")).toHaveValue("They are kind");

      await form.getByLabel("How do you know the applicants?").fill("Neighbours for ten years");
      await form.getByRole("button", { name: "Send reference" }).click();
      await expect(page.getByTestId("reference-sent")).toBeVisible();
      if (js) expect(await wasReloaded(page)).toBe(false);
      // No session for a link holder.
      expect((await page.context().cookies()).find((c) => c.name === "fh_session")).toBeUndefined();

      await open(page, link, js);
      await expect(page.getByTestId("link-closed")).toHaveText("This link has been used");
    });
  });
});
