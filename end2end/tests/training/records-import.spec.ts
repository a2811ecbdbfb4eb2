import { execFileSync } from "node:child_process";
import { Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// A hub workforce lead brings a council's existing training records in from a CSV file: a file
// with bad rows is refused whole with every problem listed; the fixed file is imported; the same
// file again adds nothing. Each mode imports a competency of its own (required of no one, so no
// other test's compliance matrix changes).

function competency(name: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the competency");
  execFileSync("psql", [url, "-qtAc", `insert into competency (name, validity_months) values ('${name}', 12)`]);
}

function csv(rows: string[][]): Buffer {
  return Buffer.from(["email,competency,achieved_on,evidence", ...rows.map((r) => r.join(","))].join("\r\n") + "\r\n");
}

/** Uploads `file` for Portsmouth and imports it; leaves the page on the report. */
async function uploadAndImport(page: Page, js: boolean, name: string, file: Buffer) {
  await open(page, "/staff/training/import", js);
  await page.getByLabel("Council").selectOption({ label: "Portsmouth City Council" });
  await page.getByRole("button", { name: "Choose council" }).click();
  await expect(page.getByRole("heading", { name: "Upload Portsmouth City Council's training records" })).toBeVisible();
  if (js) await waitForHydration(page);
  await page.getByLabel("Records file (CSV)").setInputFiles({ name, mimeType: "text/csv", buffer: file });
  await page.getByRole("button", { name: "Upload file" }).click();
  await expect(page.getByTestId("uploaded-file")).toContainText(name);
  if (js) await waitForHydration(page);
  await page.getByRole("button", { name: "Import records" }).click();
  await expect(page).toHaveURL(/\/staff\/training\/import\/[0-9a-f-]{36}$/);
}

test.describe("a workforce lead importing training records", () => {
  test.use({ role: "workforce-lead" });

  bothModes(() => {
    test("sees every problem of a bad file with nothing imported, then imports the fixed file once", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      const tag = `${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      const name = `Import check ${tag}`;
      competency(name);
      const good = ["assessor.portsmouth@example.org", name, "14/03/2026", "Certificate seen"];

      await uploadAndImport(page, js, `bad-${tag}.csv`, csv([
        good,
        ["nobody.here@example.org", name, "2026-03-14", "Certificate seen"],
        ["manager.portsmouth@example.org", name, "31/02/2026", "=cmd|' /C calc'!A0"],
      ]));
      await expect(page).toHaveTitle(/^Error: /);
      await expect(page.getByTestId("error-summary")).toContainText("2 rows have a problem");
      const problems = page.getByTestId("import-problems").locator("tbody tr");
      await expect(problems.filter({ hasText: "There is no one at Portsmouth City Council with this email address" })).toHaveCount(1);
      await expect(page.getByTestId("import-problems")).toContainText("Enter a real date");
      await expect(page.getByTestId("import-problems")).toContainText("formula");
      if (js) expect(await violations(page), "the report of a refused file").toEqual([]);

      await uploadAndImport(page, js, `good-${tag}.csv`, csv([good]));
      await expect(page.getByTestId("import-done")).toContainText("1 record added for 1 person at Portsmouth City Council");
      if (js) expect(await violations(page), "the report of an import").toEqual([]);

      // The same file again: nothing is written twice.
      await uploadAndImport(page, js, `again-${tag}.csv`, csv([good]));
      await expect(page.getByTestId("import-done")).toContainText("0 records added");
      await expect(page.getByTestId("already-held")).toContainText("1 record was already held, so not added again.");
      if (js) expect(errors.filter((e) => !e.includes("status of 4"))).toEqual([]);
    });
  });
});
