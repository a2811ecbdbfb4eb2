import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { open } from "../../support/page";

// Portsmouth's placement officer finds a home for a sibling pair aged 7 and 9 near Portsmouth,
// reserves two places at Hampshire's HAM-101 (both councils share with the region) and confirms
// the placement: the household's vacancies fall by two in the search at once.
//
// HAM-101 has three places, so each run puts it back afterwards (its placements from this test
// are ended before they start, and the test's reservations released), for the other mode's run.

function sql(statement: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to put HAM-101 back after the test");
  execFileSync("psql", [url, "-qtAc", statement]);
}

function putBack() {
  sql(`update placement_hold set released_at = now(), release_reason = 'released'
       where released_at is null and reason = 'reserved'
         and household_id = (select household_id from household where reference = 'HAM-101')`);
  sql(`update placement set ended_on = start_on, end_reason = 'other'
       where ended_on is null and child_id in (select child_id from child where reference like 'E2E-%')`);
}

function dateIn(days: number) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d;
}

async function fillDate(page: import("@playwright/test").Page, name: string, d: Date) {
  await page.locator(`input[name="${name}[day]"]`).fill(String(d.getDate()));
  await page.locator(`input[name="${name}[month]"]`).fill(String(d.getMonth() + 1));
  await page.locator(`input[name="${name}[year]"]`).fill(String(d.getFullYear()));
}

test.describe("a placement officer in Portsmouth", () => {
  test.use({ role: "placements-portsmouth" });
  test.describe.configure({ mode: "serial" });
  test.afterEach(() => putBack());

  bothModes(() => {
    test("reserves and confirms a sibling pair at another council's household, and its vacancies fall by two", async ({ page, js }) => {
      putBack();
      const start = dateIn(7);
      const born = (age: number) => {
        const d = dateIn(-30);
        d.setFullYear(d.getFullYear() - age);
        return d;
      };
      await open(page, "/staff/placements/search", js);
      await fillDate(page, "date_of_birth", born(7));
      await page.locator('input[name="sex"][value="female"]').check();
      await fillDate(page, "sibling_1_date_of_birth", born(9));
      await page.locator('input[name="sibling_1_sex"][value="male"]').check();
      await page.getByLabel("Sibling groups").check();
      await page.getByLabel("Child's home postcode").fill("PO1 2AB");
      await page.getByLabel("Short-term").check();
      await fillDate(page, "start_on", start);
      await page.getByLabel("Maximum distance, in miles").fill("20");
      await page.getByRole("button", { name: "Search" }).click();

      await expect(page.getByTestId("search-summary")).toContainText("2 children (siblings) aged 7 and 9");
      const ham = page.getByTestId("result-HAM-101");
      await expect(ham).toContainText("Within 20 miles");
      await expect(ham).toContainText("Outside the child's council");
      await expect(ham.getByTestId("vacancies")).toHaveText("Vacancies on the start date: 3");
      await expect(page.getByTestId("results")).not.toContainText("WSX-301");

      await ham.getByRole("link", { name: /HAM-101/ }).click();
      await expect(page.getByTestId("result-heading")).toContainText("HAM-101");
      const stamp = Date.now().toString(36).toUpperCase();
      await page.getByLabel("Your council's reference for child 1").fill(`E2E-${stamp}-A`);
      await page.getByLabel("Your council's reference for child 2").fill(`E2E-${stamp}-B`);
      await page.getByRole("button", { name: "Reserve" }).click();
      await expect(page.getByTestId("done")).toContainText("Vacancy reserved for 48 hours");
      await expect(page.getByTestId("reservation")).toContainText(`E2E-${stamp}-A`);

      await page.getByRole("button", { name: "Confirm the placement" }).click();
      await expect(page.getByTestId("done")).toContainText("Placement confirmed");
      await expect(page.getByTestId("vacancies")).toHaveText("1");

      // The search shows it at once: one place left is too few for the pair.
      await page.getByRole("link", { name: "Back to the results" }).click();
      await expect(page.getByTestId("search-summary")).toBeVisible();
      await expect(page.getByTestId("result-HAM-101")).toHaveCount(0);
    });
  });
});

// The hub has no households of its own: its officers search for a member council's child, whose
// households then come first. Choosing no council is refused beside the field, keeping the rest.
test.describe("the hub's placement officer", () => {
  test.use({ role: "placement-officer" });

  bothModes(() => {
    test("chooses the council responsible for the child, whose households then rank as the child's own", async ({ page, js }) => {
      const born = (age: number) => {
        const d = dateIn(-30);
        d.setFullYear(d.getFullYear() - age);
        return d;
      };
      await open(page, "/staff/placements/search", js);
      // One child: HAM-101 has room for one whatever the other test has reserved meanwhile.
      await fillDate(page, "date_of_birth", born(9));
      await page.locator('input[name="sex"][value="female"]').check();
      await page.getByLabel("Child's home postcode").fill("PO1 2AB");
      await page.getByLabel("Short-term").check();
      await fillDate(page, "start_on", dateIn(7));
      await page.getByLabel("Maximum distance, in miles").fill("20");
      await page.getByRole("button", { name: "Search" }).click();

      const summary = page.getByTestId("error-summary");
      await expect(summary).toContainText("Select the council responsible for the child");
      await expect(page.locator("#child_council-error")).toContainText("Select the council responsible for the child");
      await expect(page.getByLabel("Child's home postcode")).toHaveValue("PO1 2AB");
      await expect(page.getByLabel("Maximum distance, in miles")).toHaveValue("20");

      await page.getByLabel("Council responsible for the child").selectOption({ label: "Portsmouth City Council" });
      await page.getByRole("button", { name: "Search" }).click();
      await expect(page.getByTestId("search-summary")).toContainText("aged 9");
      const own = page.locator('[data-testid^="result-PTH-"]').first();
      await expect(own).toBeVisible();
      await expect(own).not.toContainText("Outside the child's council");
      await expect(page.getByTestId("result-HAM-101")).toContainText("Outside the child's council");
    });
  });
});
