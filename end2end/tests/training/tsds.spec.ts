import { bothModes, expect, test } from "../../support/fixtures";
import { registerHousehold, uniqueName } from "../../support/data";
import { fillDate, today } from "../../support/dates";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// The supervising social worker signs a TSDS standard off for a foster carer who has no email
// address and no account (refused first, what was typed kept); the carer's progress moves on
// against their deadline, and the signed-off standard is on their training records. Each mode
// makes its own household, so the two runs never meet.

test.describe("a carer's TSDS", () => {
  test.use({ role: "ssw-portsmouth" });

  bothModes(() => {
    test("is signed off standard by standard for a carer without an email address, refused first without the standard", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      const carer = uniqueName("Jo");
      const reference = `TS-${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      // A household approved 11 months ago whose one carer has no email address.
      registerHousehold({ reference, carer });

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
