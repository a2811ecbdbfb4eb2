import { bothModes, expect, test } from "../../support/fixtures";
import { markPage, open, wasReloaded } from "../../support/page";

// One form, two submit buttons ("Save and continue" / "Save and come back later"): the clicked
// button reaches the server in both modes, through the one form path every form uses.

test.describe("the components page's two-button form", () => {
  test.use({ role: "hub-officer" });

  bothModes(() => {
    for (const [button, chose] of [
      ["Save and continue", "continue"],
      ["Save and come back later", "later"],
    ]) {
      test(`sends the clicked button: ${button}`, async ({ page, js, errors }) => {
        await open(page, "/staff/components", js);
        if (js) await markPage(page);
        const form = page.getByTestId("two-buttons-form");
        await form.getByLabel("Note").fill("A note");
        await form.getByRole("button", { name: button }).click();
        await expect(page).toHaveURL(new RegExp(`chose=${chose}`));
        await expect(page.getByTestId("two-buttons-chose")).toHaveText(`You chose: ${button}`);
        // With JavaScript the server function ran through its action: no page load.
        if (js) {
          expect(await wasReloaded(page)).toBe(false);
          expect(errors).toEqual([]);
        }
      });
    }

    test("a refusal shows the summary and keeps the note", async ({ page, js }) => {
      await open(page, "/staff/components", js);
      const form = page.getByTestId("two-buttons-form");
      await form.getByLabel("Note").fill("x".repeat(101));
      await form.getByRole("button", { name: "Save and come back later" }).click();
      await expect(page.getByText("Note must be 100 characters or fewer").first()).toBeVisible();
      await expect(form.getByLabel("Note")).toHaveValue("x".repeat(101));
      await expect(page).toHaveTitle(/^Error: /);
    });
  });
});
