import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// A connected-person (family and friends) assessment: a child already lives with relatives,
// temporarily approved under regulation 24. The team manager opens the assessment from the
// child's placement (refused first without the date of the temporary approval), sees its 16
// weeks on the case, then extends it once (refused first for 9 weeks); a second extension is not
// offered. Each mode makes its own household and child, so the two runs never meet.

/** A Portsmouth connected-person household with `child` placed with them ten days ago, straight
 * into the database (the register's own journeys are carers/*.spec.ts). */
function placedWithRelatives(household: string, name: string, child: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the household");
  execFileSync("psql", [
    url,
    "-v",
    "ON_ERROR_STOP=1",
    "-qtAc",
    `with c as (select council_id from council where code = 'portsmouth'),
     h as (insert into household (council_id, reference, name, postcode, carer_type, approved_on,
                                  max_children, age_min, age_max, placement_types)
           select council_id, '${household}', '${name}', 'PO2 9NJ', 'connected_person',
                  current_date - 10, 1, 0, 17, '{connected-person}' from c
           returning household_id),
     carers as (insert into carer (household_id, position, full_name)
                select household_id, 1, 'Grace Bello' from h),
     terms as (insert into approval_terms (household_id, effective_from, max_children, age_min,
                                           age_max, sex, placement_types, named_child, source, reason)
               select household_id, current_date - 10, 1, 0, 17, 'any', '{connected-person}',
                      '${child}', 'approval', 'Temporarily approved for a named child' from h),
     kid as (insert into child (council_id, reference, date_of_birth, sex)
             select council_id, '${child}', date '2019-05-03', 'female' from c returning child_id)
     insert into placement (household_id, child_id, placement_type, start_on)
     select h.household_id, kid.child_id, 'connected-person', current_date - 10 from h, kid`,
  ]);
}

function tenDaysAgo(): { day: string; month: string; year: string } {
  const d = new Date(Date.now() - 10 * 86_400_000);
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

test.describe("a connected-person assessment", () => {
  test.use({ role: "manager-portsmouth" });

  bothModes(() => {
    test("opens from the child's placement with its temporary approval, which is extended once", async ({ page, js, errors }) => {
      test.setTimeout(180_000);
      const tag = `${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      const household = `CPE-${tag}`;
      const name = `Connected Journey ${tag}`;
      const child = `CE-${tag}`;
      placedWithRelatives(household, name, child);

      await open(page, "/staff/assessments", js);
      await page.getByTestId("open-connected").click();
      if (js) await waitForHydration(page);
      await expect(page.getByRole("heading", { name: "Open a connected-person assessment" })).toBeVisible();
      const placement = page.getByLabel("The child's placement");
      const choice = await placement.locator("option", { hasText: `Child ${child} ` }).getAttribute("value");
      expect(choice, "the new placement is offered").toBeTruthy();
      await placement.selectOption(choice ?? "");
      await page.getByRole("group", { name: "Do the carers have a temporary approval for the child?" })
        .getByLabel("Yes, under regulation 24").check();
      await page.getByRole("button", { name: "Open the assessment" }).click();
      await expect(page.locator(".error-summary")).toContainText("temporary approval");
      await expect(page).toHaveTitle(/^Error: /);
      if (js) expect(await violations(page), "the refused connected-person form").toEqual([]);

      const d = tenDaysAgo();
      await page.locator('[name="temporary_from[day]"]').fill(d.day);
      await page.locator('[name="temporary_from[month]"]').fill(d.month);
      await page.locator('[name="temporary_from[year]"]').fill(d.year);
      await page.getByRole("button", { name: "Open the assessment" }).click();
      await expect(page.getByTestId("saved")).toContainText("The connected-person assessment is open");
      await expect(page.getByRole("heading", { name })).toBeVisible();
      await expect(page.locator("body")).toContainText(`Child ${child} (born 3 May 2019)`);
      await expect(page.locator("body")).toContainText("(16 weeks)");
      if (js) expect(await violations(page), "the connected-person case").toEqual([]);

      // Extended once: refused first for more than 8 weeks, then by 4.
      if (js) await waitForHydration(page);
      await page.getByRole("link", { name: "Extend the temporary approval" }).click();
      if (js) await waitForHydration(page);
      await page.getByLabel("By how many weeks?").fill("9");
      await page.getByLabel("Why is it being extended?").fill("The assessment needs a second medical report.");
      await page.getByRole("button", { name: "Extend the approval" }).click();
      await expect(page.locator(".error-summary")).toBeVisible();
      await expect(page.getByLabel("Why is it being extended?")).toHaveValue("The assessment needs a second medical report.");
      await page.getByLabel("By how many weeks?").fill("4");
      await page.getByRole("button", { name: "Extend the approval" }).click();
      await expect(page.getByTestId("saved")).toContainText("The temporary approval is extended");
      await expect(page.locator("body")).toContainText("(16 weeks, extended by 4 weeks)");
      await expect(page.getByRole("link", { name: "Extend the temporary approval" })).toHaveCount(0);
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
