import { bothModes, expect, test } from "../../support/fixtures";
import { registerHousehold, uniqueName } from "../../support/data";
import { daysAgo, fillDate } from "../../support/dates";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// A household member turning 18 needs an enhanced DBS check: the supervising social worker
// marks it done on the household's page with the certificate's date (refused first for a date
// in the future, what was typed kept), and the task is gone. Each mode makes its own household.

test.describe("a household member turning 18", () => {
  test.use({ role: "ssw-portsmouth" });

  bothModes(() => {
    test("has their DBS check marked done with the certificate's date, refused first for a date ahead", async ({ page, js, errors }) => {
      const member = uniqueName("Riley");
      const reference = `DBS-${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      registerHousehold({ reference, carer: "Pat Carer", approvedDaysAgo: 700, memberTurning18: member });

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
