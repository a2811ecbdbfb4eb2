import { Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";
import * as fs from "node:fs";
import * as path from "node:path";

// A council imports its existing carer register from CSV: upload the file (a plain multipart
// form to the one upload route, which sends the browser back), import it, read the report. A
// good file adds every household; a file with bad rows adds nothing and lists every problem.
// Once with JavaScript and once without. Each test makes its own references and addresses, so
// runs and retries never collide on the register.

const COLUMNS = [
  "household_reference", "household_name", "postcode", "carer_type", "approved_on", "status",
  "max_children", "age_min", "age_max", "sex", "placement_types", "over_three_basis", "skills",
  "supervising_social_worker_email", "last_annual_review_on",
  "carer_full_name", "carer_date_of_birth", "carer_email", "carer_phone",
];

type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

const EXAMPLE: Row = {
  household_name: "Alex and Sam Okafor", postcode: "PO1 2AB", carer_type: "mainstream",
  approved_on: "2024-03-14", status: "active", max_children: "2", age_min: "0", age_max: "11",
  sex: "any", placement_types: "short-term;long-term", skills: "sibling-groups;polish",
  last_annual_review_on: "2025-03-01", carer_date_of_birth: "1980-06-21", carer_phone: "+44 7700 900123",
};

function csv(rows: Row[]): Buffer {
  const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [COLUMNS.join(",")].concat(
    rows.map((r) => COLUMNS.map((c) => cell({ ...EXAMPLE, ...r }[c] ?? "")).join(",")),
  );
  return Buffer.from(lines.join("\r\n") + "\r\n", "utf8");
}

const MAIL_DIR = process.env.MAIL_DIR;

/** Whether a sign-in link has been emailed to `to` (the outbox's sender writes each message to
 * MAIL_DIR once the import has committed and the job has run). */
function signInLinkSentTo(to: string): boolean {
  if (!MAIL_DIR || !fs.existsSync(MAIL_DIR)) return false;
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => fs.readFileSync(path.join(MAIL_DIR, f), "utf8").replace(/=\r?\n/g, ""))
    .some((m) => m.includes(to) && /\/account\/sign-in\/[A-Za-z0-9_-]{43}/.test(m));
}

/** A run-unique tag for references and email addresses. */
function tag(js: boolean): string {
  return `${js ? "j" : "n"}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** Uploads `file` on the import page and imports it; leaves the page on the report. */
async function uploadAndImport(page: Page, js: boolean, name: string, file: Buffer) {
  await open(page, "/staff/carers/import", js);
  await expect(page.getByRole("heading", { name: "Import a carer register" })).toBeVisible();
  await expect(page.getByTestId("columns")).toContainText("household_reference");
  await page.getByLabel("Register file (CSV)").setInputFiles({ name, mimeType: "text/csv", buffer: file });
  await page.getByRole("button", { name: "Upload file" }).click();
  await expect(page).toHaveURL(/\/staff\/carers\/import\?uploaded=/);
  if (js) await waitForHydration(page);
  await expect(page.getByTestId("uploaded-file")).toContainText(name);
  if (js) expect(await violations(page), "the uploaded file, ready to import").toEqual([]);
  await page.getByRole("button", { name: "Import register" }).click();
  await expect(page).toHaveURL(/\/staff\/carers\/import\/[0-9a-f-]{36}$/);
}

test.describe("a council team manager", () => {
  test.use({ role: "manager-portsmouth" });

  bothModes(() => {
    test("imports a good register and sees what was added", async ({ page, js, errors }) => {
      const t = tag(js);
      const file = csv([
        { household_reference: `${t}-1`, carer_full_name: "Alex Okafor", carer_email: `alex.${t}@example.com` },
        { household_reference: `${t}-1`, carer_full_name: "Sam Okafor", carer_email: `sam.${t}@example.com` },
        {
          household_reference: `${t}-2`, household_name: "Jo Bloggs", approved_on: "14/03/2019",
          status: "on hold", carer_full_name: "Jo Bloggs", skills: "", carer_phone: "023 9283 4000",
        },
      ]);
      await uploadAndImport(page, js, `register-${t}.csv`, file);
      await expect(page.getByTestId("import-done")).toContainText("Register imported");
      await expect(page.getByTestId("import-done")).toContainText("2 households and 3 carers added to Portsmouth");
      await expect(page.getByTestId("invited")).toContainText("2 carers were emailed a link to sign in");
      if (MAIL_DIR) {
        await expect.poll(() => signInLinkSentTo(`alex.${t}@example.com`), { timeout: 20_000 }).toBe(true);
        await expect.poll(() => signInLinkSentTo(`sam.${t}@example.com`), { timeout: 20_000 }).toBe(true);
      }
      if (js) expect(await violations(page), "the report of an import").toEqual([]);
      if (js) expect(errors).toEqual([]);
    });

    test("sees every problem in a file with bad rows, and nothing is imported", async ({ page, js, errors }) => {
      const t = tag(js);
      const file = csv([
        { household_reference: `${t}-1`, carer_full_name: "Alex Okafor" },
        { household_reference: `${t}-2`, carer_full_name: "Jo Bloggs", approved_on: "31/02/2024" },
        { household_reference: `${t}-3`, carer_full_name: "=HYPERLINK(\"http://evil.example\")" },
      ]);
      await uploadAndImport(page, js, `bad-${t}.csv`, file);
      await expect(page).toHaveTitle(/^Error: Register not imported/);
      const summary = page.getByTestId("error-summary");
      await expect(summary).toContainText("There is a problem");
      await expect(summary).toContainText("nothing was added to Portsmouth");
      await expect(summary).toContainText("2 rows have a problem");
      const problems = page.getByTestId("import-problems");
      await expect(problems.locator("tbody tr")).toHaveCount(2);
      await expect(problems.locator("tbody tr").nth(0)).toContainText("3");
      await expect(problems.locator("tbody tr").nth(0)).toContainText("approval date");
      await expect(problems.locator("tbody tr").nth(0)).toContainText("Enter a real date, like 2024-03-14");
      await expect(problems.locator("tbody tr").nth(1)).toContainText("carer's full name");
      await expect(problems.locator("tbody tr").nth(1)).toContainText("which a spreadsheet would run as a formula");
      if (js) expect(await violations(page), "the report of a refused file").toEqual([]);

      // The good household of the refused file was not added either: importing it alone works.
      await uploadAndImport(page, js, `fixed-${t}.csv`, csv([{ household_reference: `${t}-1`, carer_full_name: "Alex Okafor" }]));
      await expect(page.getByTestId("import-done")).toContainText("1 household and 1 carer added");
      if (js) expect(errors).toEqual([]);
    });
  });
});

test.describe("a hub administrator", () => {
  test.use({ role: "administrator" });

  bothModes(() => {
    test("chooses the council before uploading", async ({ page, js }) => {
      await open(page, "/staff/carers/import", js);
      await expect(page.getByTestId("upload-form")).toHaveCount(0);
      await page.getByLabel("Council").selectOption("kent");
      await page.getByRole("button", { name: "Choose council" }).click();
      await expect(page).toHaveURL(/council=kent/);
      await expect(page.getByRole("heading", { name: /Upload Kent.*register/ })).toBeVisible();
    });
  });
});
