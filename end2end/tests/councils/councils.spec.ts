import { bothModes, expect, test } from "../../support/fixtures";
import { uniqueCouncilCode, uniqueName } from "../../support/data";
import { open } from "../../support/page";

// Hub administrators keep the cooperative's list of councils. Each test adds a council with a
// name and code no other test uses.

test.describe("a hub administrator", () => {
  test.use({ role: "administrator" });

  bothModes(() => {
    test("adds a council, and it is listed", async ({ page, js, errors }) => {
      const name = `${uniqueName("Council")} Borough Council`;
      const code = uniqueCouncilCode();
      await open(page, "/staff/councils", js);
      await page.getByLabel("Council name").fill(name);
      await page.getByLabel("Short code").fill(code);
      await page.getByLabel("Fostering inbox email address (optional)").fill(`fostering@${code}.example.org`);
      await page.getByRole("button", { name: "Add council" }).click();

      if (js) await expect(page.getByText("Council added.")).toBeVisible();
      const row = page.getByTestId("council-table").getByRole("row", { name: new RegExp(name) });
      await expect(row).toContainText(code);
      await expect(row).toContainText("Active");
      if (js) expect(errors).toEqual([]);
    });

    test("sets how long a council keeps closed enquiries, refused first outside 12 to 120 months", async ({ page, js }) => {
      const name = `${uniqueName("Council")} District Council`;
      const code = uniqueCouncilCode();
      await open(page, "/staff/councils", js);
      await page.getByLabel("Council name").fill(name);
      await page.getByLabel("Short code").fill(code);
      await page.getByRole("button", { name: "Add council" }).click();
      const row = page.getByTestId("council-table").getByRole("row", { name: new RegExp(name) });
      await expect(row).toContainText("36 months");

      const form = page.getByTestId("retention-form");
      await form.getByLabel("Council").selectOption(code);
      await form.getByLabel("Months to keep enquiries that closed without an application").fill("200");
      await form.getByRole("button", { name: "Save" }).click();
      await expect(page.locator(".error-summary")).toContainText("Enter a whole number of months from 12 to 120");
      await expect(page.getByTestId("retention-form").getByLabel("Months to keep enquiries that closed without an application")).toHaveValue("200");

      await page.getByTestId("retention-form").getByLabel("Council").selectOption(code);
      await page.getByTestId("retention-form").getByLabel("Months to keep enquiries that closed without an application").fill("48");
      await page.getByTestId("retention-form").getByRole("button", { name: "Save" }).click();
      await expect(page.getByText("How long closed enquiries are kept is saved.")).toBeVisible();
      await expect(page.getByTestId("council-table").getByRole("row", { name: new RegExp(name) })).toContainText("48 months");
    });

    test("bad details show the error summary and keep what was typed", async ({ page, js }) => {
      const name = `${uniqueName("Council")} Borough Council`;
      await open(page, "/staff/councils", js);
      await page.getByLabel("Council name").fill(name);
      await page.getByLabel("Short code").fill("Not A Code!");
      await page.getByRole("button", { name: "Add council" }).click();

      const summary = page.getByTestId("error-summary");
      await expect(summary).toContainText("Enter a short code of 2 to 40 lower-case letters, numbers or hyphens");
      await expect(page.getByLabel("Council name")).toHaveValue(name);
      await expect(page.getByLabel("Short code")).toHaveValue("Not A Code!");
      await expect(page.getByTestId("council-table")).not.toContainText(name);
    });
  });
});

test.describe("a hub officer", () => {
  test.use({ role: "hub-officer" });

  bothModes(() => {
    test("is refused the councils page", async ({ page, js }) => {
      await open(page, "/staff/councils", js);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
      await expect(page.getByLabel("Council name")).toHaveCount(0);
    });
  });
});
