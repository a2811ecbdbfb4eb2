import { bothModes, expect, test } from "../../support/fixtures";
import { registerHousehold, uniqueName } from "../../support/data";
import { daysAgo, fillDate } from "../../support/dates";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// The supervising social worker adds someone living in a household from its page (refused
// first without a name, what was typed kept). A daughter turning 18 within a month gets her DBS
// task straight away. When she moves out, the worker records it and the task closes. Each mode
// makes its own household.

test.describe("someone living in a household", () => {
  test.use({ role: "ssw-portsmouth" });

  bothModes(() => {
    test("is added with a DBS task when turning 18 within a month, refused first without a name, and recorded as moved out", async ({ page, js, errors }) => {
      const member = uniqueName("Robin");
      const reference = `MB-${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      registerHousehold({ reference, carer: uniqueName("Sam") });
      // 18 in 20 days.
      const in20 = daysAgo(-20);
      const born = { ...in20, year: String(Number(in20.year) - 18) };

      await open(page, `/staff/carers/portsmouth/${reference}`, js);
      await expect(page.getByText("No one else is recorded as living in the household.")).toBeVisible();
      await page.getByRole("link", { name: "Add someone living in the household" }).click();
      await expect(page.getByRole("heading", { name: "Add someone living in the household" })).toBeVisible();
      if (js) await waitForHydration(page);

      await fillDate(page, "date_of_birth", born);
      await page.getByLabel("Who are they to the carers?").fill("Birth daughter");
      await page.getByRole("button", { name: "Add them" }).click();
      await expect(page.locator(".error-summary")).toContainText("Enter their full name");
      await expect(page).toHaveTitle(/^Error: /);
      await expect(page.getByLabel("Who are they to the carers?")).toHaveValue("Birth daughter");
      await expect(page.locator('[name="date_of_birth[year]"]')).toHaveValue(born.year);
      if (js) expect(await violations(page), "the refused member form").toEqual([]);

      await page.getByLabel("Full name").fill(member);
      await page.getByRole("button", { name: "Add them" }).click();
      await expect(page.getByTestId("saved")).toContainText("The household member is added");
      await expect(page.getByTestId("members")).toContainText(`${member}, 17 (Birth daughter)`);
      await expect(page.getByTestId("tasks")).toContainText(`Enhanced DBS check for ${member}`);

      await page.getByRole("link", { name: new RegExp(`^Moved out\\W+${member}$`) }).click();
      await expect(page.getByRole("heading", { name: `${member} has moved out` })).toBeVisible();
      if (js) {
        await waitForHydration(page);
        expect(await violations(page), "the moved-out form").toEqual([]);
      }
      await fillDate(page, "left_on", daysAgo(2));
      await page.getByRole("button", { name: "Record that they moved out" }).click();
      await expect(page.getByTestId("saved")).toContainText("recorded as moved out");
      await expect(page.getByTestId("members")).toHaveCount(0);
      await expect(page.getByTestId("tasks")).toHaveCount(0);
      await expect(page.getByTestId("history")).toContainText(`${member} moved out on`);
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
