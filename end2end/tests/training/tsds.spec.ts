import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { uniqueName } from "../../support/data";
import { fillDate, today } from "../../support/dates";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// The supervising social worker signs a TSDS standard off for a foster carer who has no email
// address and no account (refused first, what was typed kept); the carer's progress moves on
// against their deadline, and the signed-off standard is on their training records. Each mode
// makes its own household, so the two runs never meet.

/** A Portsmouth mainstream household approved 11 months ago, supervised by Portsmouth's
 * supervising social worker, with one carer who has no email address. */
function householdWithoutEmail(reference: string, carer: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the household");
  execFileSync("psql", [
    url,
    "-qtAc",
    `with h as (
       insert into household (council_id, reference, name, postcode, carer_type, approved_on,
                              supervising_social_worker_id, max_children, age_min, age_max, placement_types)
       select c.council_id, '${reference}', '${carer}', 'PO1 2AB', 'mainstream', current_date - 330,
              s.staff_user_id, 2, 0, 17, array['long_term']
         from council c, staff_user s
        where c.code = 'portsmouth' and s.email = 'supervising.portsmouth@example.org'
       returning household_id)
     insert into carer (household_id, position, full_name) select household_id, 1, '${carer}' from h`,
  ]);
}

test.describe("a carer's TSDS", () => {
  test.use({ role: "ssw-portsmouth" });

  bothModes(() => {
    test("is signed off standard by standard for a carer without an email address, refused first without the standard", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      const carer = uniqueName("Jo");
      const reference = `TS-${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      householdWithoutEmail(reference, carer);

      await open(page, `/staff/carers/portsmouth/${reference}/tsds`, js);
      await expect(page.getByRole("heading", { name: "Training, Support and Development Standards" })).toBeVisible();
      const progress = page.getByTestId("tsds-carer");
      await expect(progress).toContainText("0 of 7 standards signed off");
      if (js) expect(await violations(page), "the household's TSDS").toEqual([]);

      // Refused without the standard; the evidence typed is kept.
      await fillDate(page, "achieved_on", today());
      await page.getByLabel("The evidence").fill("Workbook section 1 seen at supervision");
      await page.getByRole("button", { name: "Sign off the standard" }).click();
      await expect(page.locator(".error-summary")).toContainText("Select the standard");
      await expect(page.getByLabel("The evidence")).toHaveValue("Workbook section 1 seen at supervision");
      if (js) {
        await waitForHydration(page);
        expect(await violations(page), "the refused sign-off").toEqual([]);
      }

      await page.getByLabel("TSDS 1: Principles and values of fostering").check();
      await page.getByRole("button", { name: "Sign off the standard" }).click();
      await expect(page.getByTestId("saved")).toContainText("The standard is signed off");
      await expect(progress).toContainText("1 of 7 standards signed off");
      await expect(progress).toContainText("Workbook section 1 seen at supervision");
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
