import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";

// Checks the application did not give rise to, and each council's own stage and chase interval
// for a kind of check. An assessor adds a check found on a home visit to their case; a team
// manager changes how long a kind waits before it is chased. Each is refused first with a clear
// message, what was typed kept, and works with and without JavaScript.

test.describe("an assessor adding a check by hand", () => {
  test.use({ role: "assessor-portsmouth" });

  bothModes(() => {
    test("adds a check for someone the application did not name, refused first without a subject", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      // Each mode adds its own, so the two runs never meet.
      const who = js ? "Dana Reid, Jordan's daughter, living in Leeds" : "Eli Reid, Jordan's son, living in York";
      await open(page, "/staff/assessments/FH-DEMO-ASM1", js);
      await page.getByTestId("add-check").click();
      if (js) await waitForHydration(page);
      await expect(page.getByRole("heading", { name: "Add a check" })).toBeVisible();
      await page.getByLabel("Kind of check").selectOption({ label: "Adult child living elsewhere" });
      await page.getByLabel("Details (optional)").fill("Mentioned on the second visit");
      await page.getByRole("button", { name: "Add the check" }).click();
      await expect(page.locator(".error-summary")).toContainText("Enter who or what the check is about");
      await expect(page).toHaveTitle(/^Error: /);
      await expect(page.getByLabel("Details (optional)")).toHaveValue("Mentioned on the second visit");
      if (js) expect(await violations(page), "the add-check form with errors").toEqual([]);

      await page.getByLabel("Who or what it is about").fill(who);
      await page.getByRole("button", { name: "Add the check" }).click();
      await expect(page.getByTestId("saved")).toContainText("The check is added");
      await expect(page.getByRole("row", { name: new RegExp(who) })).toContainText("Adult child living elsewhere");
      await expect(page.getByTestId("timeline")).toContainText(`added a check by hand: Adult child living elsewhere (${who})`);
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});

test.describe("a team manager's check settings", () => {
  test.use({ role: "manager-portsmouth" });

  bothModes(() => {
    test("changes how long a kind of check waits before it is chased, refused first for words", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      // Each mode sets its own kind, so the two runs never meet.
      const kind = js ? "setting-armed_forces" : "setting-overseas";
      const days = js ? "50" : "45";
      await open(page, "/staff/assessments", js);
      await page.getByRole("link", { name: "Check settings: stages and chase intervals" }).click();
      if (js) await waitForHydration(page);
      await expect(page.getByRole("heading", { name: "Check settings" })).toBeVisible();
      const group = page.getByTestId(kind);
      await group.getByLabel("Days before it is chased").fill("6wk");
      await page.getByRole("button", { name: "Save the settings" }).click();
      await expect(page.locator(".error-summary")).toContainText("is chased as a whole number from 1 to 365");
      await expect(page).toHaveTitle(/^Error: /);
      await expect(page.getByTestId(kind).getByLabel("Days before it is chased")).toHaveValue("6wk");
      if (js) expect(await violations(page), "the settings with errors").toEqual([]);

      await page.getByTestId(kind).getByLabel("Days before it is chased").fill(days);
      await page.getByRole("button", { name: "Save the settings" }).click();
      await expect(page.getByTestId("saved")).toContainText("The check settings are saved");
      await expect(page.getByTestId(kind).getByLabel("Days before it is chased")).toHaveValue(days);
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
