import { expect, test } from "../../support/fixtures";
import { fillValidEnquiry, uniqueEmail } from "../../support/data";
import { open } from "../../support/page";
import * as fs from "node:fs";
import * as path from "node:path";

const MAIL_DIR = process.env.MAIL_DIR;

/** The local mail folder's messages addressed to `to`, read from disk. */
function messagesTo(to: string): string[] {
  if (!MAIL_DIR || !fs.existsSync(MAIL_DIR)) return [];
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => fs.readFileSync(path.join(MAIL_DIR, f), "utf8"))
    .filter((m) => m.includes(to));
}

test("a submitted enquiry's acknowledgement appears in the local mail folder and on the Sent mail page", async ({ page, as }) => {
  test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
  const email = uniqueEmail("mail");
  await open(page, "/enquire", true);
  await fillValidEnquiry(page, email);
  await page.getByRole("button", { name: "Send enquiry" }).click();
  const reference = (await page.getByTestId("reference").textContent())!.trim();

  await expect.poll(() => messagesTo(email).length, { timeout: 15_000 }).toBe(1);
  const message = messagesTo(email)[0];
  expect(message).toContain(reference);
  expect(message).toMatch(/Subject: .*/);

  // Administrators see it in the app.
  const admin = await as("administrator");
  await admin.goto("/staff/enquiries");
  await admin.getByRole("link", { name: "Sent mail" }).click();
  await expect(admin.getByTestId("mail-table")).toContainText(email);
});
