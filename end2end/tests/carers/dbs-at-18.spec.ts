import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { uniqueName } from "../../support/data";
import { daysAgo, fillDate } from "../../support/dates";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// A household member turning 18 needs an enhanced DBS check: the supervising social worker
// marks it done on the household's page with the certificate's date (refused first for a date
// in the future, what was typed kept), and the task is gone. Each mode makes its own household.

function householdWithMemberTurning18(reference: string, member: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the household");
  execFileSync("psql", [
    url,
    "-qtAc",
    `with h as (
       insert into household (council_id, reference, name, postcode, carer_type, approved_on,
                              supervising_social_worker_id, max_children, age_min, age_max, placement_types)
       select c.council_id, '${reference}', 'DBS household', 'PO1 2AB', 'mainstream', current_date - 700,
              s.staff_user_id, 2, 0, 17, array['long-term']
         from council c, staff_user s
        where c.code = 'portsmouth' and s.email = 'supervising.portsmouth@example.org'
       returning household_id),
     c as (insert into carer (household_id, position, full_name) select household_id, 1, 'Pat Carer' from h),
     m as (insert into household_member (household_id, full_name, date_of_birth, relationship)
           select household_id, '${member}', (current_date + 20) - interval '18 years', 'Birth child' from h
           returning household_id, household_member_id)
     insert into household_task (household_id, kind, subject_id, due_on)
     select household_id, 'dbs-at-18', household_member_id, current_date + 20 from m`,
  ]);
}

test.describe("a household member turning 18", () => {
  test.use({ role: "ssw-portsmouth" });

  bothModes(() => {
    test("has their DBS check marked done with the certificate's date, refused first for a date ahead", async ({ page, js, errors }) => {
      const member = uniqueName("Riley");
      const reference = `DBS-${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      householdWithMemberTurning18(reference, member);

      await open(page, `/staff/carers/portsmouth/${reference}`, js);
      await expect(page.getByTestId("tasks")).toContainText(`Enhanced DBS check for ${member}`);
      if (js) expect(await violations(page), "the household with a DBS task").toEqual([]);
      const form = page.getByTestId("dbs-done-form");
      await fillDate(page, "issued_on", daysAgo(-2));
      await form.getByRole("button", { name: "Mark the DBS check done" }).click();
      await expect(page.locator(".error-summary")).toContainText("today or in the past");
      await expect(page.locator('[name="issued_on[year]"]')).toHaveValue(daysAgo(-2).year);
      if (js) await waitForHydration(page);
      await fillDate(page, "issued_on", daysAgo(1));
      await page.getByRole("button", { name: "Mark the DBS check done" }).click();
      await expect(page.getByTestId("saved")).toContainText("The DBS check is marked done");
      await expect(page.getByTestId("tasks")).toHaveCount(0);
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
