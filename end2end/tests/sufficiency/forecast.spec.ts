import { Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";
import * as fs from "node:fs";
import * as path from "node:path";

// The hub's commissioner imports two years of a council's SSDA903 returns (one Episodes file
// with a row in a two-digit year, left out and shown clearly), follows the import to its
// report, then opens the forecast with a scenario change and a backtest, and the council's
// foster places against need with its printable summary. Once with JavaScript
// (the import's progress refreshes itself) and once without (the analyst refreshes).

const SYNTHETIC = path.join(__dirname, "..", "..", "..", "data", "ssda903", "synthetic");

function file(council: string, year: number, kind: string): Buffer {
  return fs.readFileSync(path.join(SYNTHETIC, council, String(year), `${kind}.csv`));
}

/** Uploads one file on the data page; leaves the page with it staged. */
async function upload(page: Page, js: boolean, name: string, buffer: Buffer) {
  await page.getByLabel("Header, Episodes or UASC file (CSV), or a zip of them").setInputFiles({
    name,
    mimeType: "text/csv",
    buffer,
  });
  await page.getByRole("button", { name: "Upload file" }).click();
  await expect(page).toHaveURL(/\/staff\/sufficiency\/data\?uploaded=/);
  if (js) await waitForHydration(page);
  await expect(page.getByTestId("uploaded-file").filter({ hasText: name })).toBeVisible();
}

test.describe("the hub's commissioner", () => {
  test.use({ role: "commissioner" });

  bothModes(() => {
    test("imports returns, sees the refused row, and forecasts with a scenario and a backtest", async ({ page, js, errors }) => {
      test.setTimeout(180_000);
      await open(page, "/staff/sufficiency/data", js);
      await expect(page.getByRole("heading", { name: "SSDA903 returns" })).toBeVisible();
      const bad = Buffer.concat([
        file("portsmouth", 2026, "episodes"),
        Buffer.from("E2E1,01/05/25,S,C2,N1,U4,PR1,,,,,,XXXXXXX\n"),
      ]);
      for (const year of [2025, 2026]) {
        await upload(page, js, `portsmouth_${year}_header.csv`, file("portsmouth", year, "header"));
        await upload(
          page,
          js,
          `portsmouth_${year}_episodes.csv`,
          year === 2026 ? bad : file("portsmouth", year, "episodes"),
        );
        await upload(page, js, `portsmouth_${year}_uasc.csv`, file("portsmouth", year, "uasc"));
      }
      await expect(page.getByTestId("uploaded-file")).toHaveCount(6);
      if (js) expect(await violations(page), "the files ready to import").toEqual([]);
      await page.getByRole("button", { name: "Import files" }).click();
      await expect(page).toHaveURL(/\/staff\/sufficiency\/imports\/[0-9a-f-]{36}$/);

      // The import runs in the background; the page follows it (with JavaScript by itself).
      const done = page.getByTestId("import-done");
      if (js) {
        await expect(done).toBeVisible({ timeout: 60_000 });
      } else {
        for (let i = 0; i < 60 && !(await done.isVisible()); i++) {
          await page.waitForTimeout(1000);
          await page.reload();
        }
        await expect(done).toBeVisible();
      }
      await expect(page.getByTestId("return-outcomes")).toContainText("2025-26");
      const refused = page.getByTestId("refused-rows");
      await expect(refused).toContainText("four-digit year");
      if (js) expect(await violations(page), "the import's report").toEqual([]);

      // The forecast, with a scenario and a backtest.
      await open(page, "/staff/sufficiency", js);
      await expect(page.getByRole("heading", { name: "Demand forecast" })).toBeVisible();
      await page.getByLabel("Portsmouth City Council").check();
      await page.getByLabel("Scenario changes (optional)").fill("-> Birth to 1 - Fostering * 1.5");
      await page.getByLabel("Backtest a year (optional)").selectOption("2026");
      await page.getByRole("button", { name: "Show forecast" }).click();
      await expect(page).toHaveURL(/backtest=2026/);
      if (js) await waitForHydration(page);
      await expect(page.getByTestId("categories")).toContainText("Fostering");
      await expect(page.getByTestId("fostering")).toContainText("Agency foster care");
      await expect(page.getByTestId("backtest-summary")).toContainText("Fitted on the returns up to 2025-03-31");
      await expect(page.locator("figure.chart svg[role=img]")).toBeVisible();
      await expect(page.getByTestId("locations")).toContainText("Portsmouth City Council");
      if (js) expect(await violations(page), "the forecast").toEqual([]);

      // A mistake in the options is shown at the top and beside the field, as typed.
      await page.getByLabel("Months to forecast").fill("999");
      await page.getByRole("button", { name: "Show forecast" }).click();
      await expect(page.getByTestId("error-summary")).toContainText("Enter a number of months from 1 to 120");
      await expect(page.getByLabel("Months to forecast")).toHaveValue("999");

      // Supply against need for the council: the forecast's need by age band against the
      // register's places (the demo's real placements and holds), then its printable summary.
      await page.getByRole("link", { name: "Foster places against need" }).click();
      await expect(page.getByRole("heading", { name: "Foster places against need" })).toBeVisible();
      if (js) await waitForHydration(page);
      await page.getByLabel("Council", { exact: true }).selectOption("portsmouth");
      await page.getByLabel("Scenario changes to the forecast (optional)").fill("-> 10 to 16 - Fostering * 1.5");
      await page.getByRole("button", { name: "Show places against need" }).click();
      await expect(page).toHaveURL(/council=portsmouth/);
      await expect(page.getByTestId("supply-scenario")).toContainText("-> 10 to 16 - Fostering * 1.5");
      if (js) await waitForHydration(page);
      await expect(page.getByTestId("supply-scope")).toContainText("Portsmouth City Council");
      await expect(page.getByTestId("gap-1")).toContainText("10 to 16");
      await expect(page.getByTestId("places-today")).toContainText("In-house");
      await expect(page.getByTestId("pipeline")).toContainText("Stage 1");
      await expect(page.locator("figure.chart svg[role=img]").first()).toBeVisible();
      if (js) expect(await violations(page), "supply against need").toEqual([]);
      await page.getByRole("link", { name: "A one-page summary for Portsmouth City Council to print" }).click();
      await expect(page.getByRole("heading", { name: "Sufficiency summary: Portsmouth City Council" })).toBeVisible();
      await expect(page.getByTestId("gap-3")).toBeVisible();
      await expect(page.getByTestId("supply-scenario")).toContainText("10 to 16 - Fostering * 1.5");
      if (js) expect(await violations(page), "the printable summary").toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
