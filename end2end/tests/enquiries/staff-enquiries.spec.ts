import { bothModes, expect, test } from "../../support/fixtures";
import { createEnquiry } from "../../support/data";
import { open, waitForHydration } from "../../support/page";
import { Page } from "@playwright/test";

// Staff working on enquiries: who sees which council's, and moving one on. Each test makes the
// enquiries it looks at, so it never depends on (or changes) the demo enquiries.

/** Finds an enquiry in the list by its reference, through the list's own filter form. */
async function filterByReference(page: Page, reference: string, js: boolean) {
  if (new URL(page.url()).pathname !== "/staff/enquiries") await open(page, "/staff/enquiries", js);
  await page.getByLabel("Search").fill(reference);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`reference=${reference}`));
}

test.describe("a hub officer", () => {
  test.use({ role: "hub-officer" });

  bothModes(() => {
    test("sees every council's enquiries, and those from outside the region", async ({ page, js, request, errors }) => {
      for (const council of ["portsmouth", "kent", "other"]) {
        const enquiry = await createEnquiry(request, { council });
        await filterByReference(page, enquiry.reference, js);
        await expect(page.getByTestId("enquiry-table"), council).toContainText(enquiry.name);
      }
      await expect(page.getByTestId("signed-in-as")).toContainText("Hub officer");
      if (js) expect(errors).toEqual([]);
    });
  });
});

test.describe("a council assessor", () => {
  test.use({ role: "assessor-portsmouth" });

  bothModes(() => {
    test("sees only their council's enquiries", async ({ page, js, request }) => {
      const own = await createEnquiry(request, { council: "portsmouth" });
      const kent = await createEnquiry(request, { council: "kent" });
      const outside = await createEnquiry(request, { council: "other" });

      await filterByReference(page, own.reference, js);
      await expect(page.getByTestId("enquiry-table")).toContainText(own.name);
      for (const other of [kent, outside]) {
        await filterByReference(page, other.reference, js);
        await expect(page.getByTestId("no-enquiries")).toBeVisible();
        await expect(page.locator("body")).not.toContainText(other.name);
        // Nor can it be opened: another council's record answers "not found", so references
        // cannot be probed.
        await open(page, `/staff/enquiries/${other.reference}`, js);
        await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
        await expect(page.locator("body")).not.toContainText(other.name);
      }
    });

    test("moves their council's enquiry on; closing needs a reason, and a refused choice stays selected", async ({ page, js, request }) => {
      const enquiry = await createEnquiry(request, { council: "portsmouth" });
      await filterByReference(page, enquiry.reference, js);
      await page.getByRole("row", { name: new RegExp(enquiry.name) }).getByRole("link").click();
      await expect(page.getByRole("heading", { name: enquiry.name })).toBeVisible();
      if (js) await waitForHydration(page);

      await page.getByLabel("Closed", { exact: true }).check();
      await page.getByRole("button", { name: "Save stage" }).click();
      await expect(page.getByTestId("error-summary")).toContainText("Select why the enquiry is closing");
      // The refused choice is still the one selected, so nothing they chose is lost.
      await expect(page.getByLabel("Closed", { exact: true })).toBeChecked();

      await page.getByLabel("Contacted (information pack sent)", { exact: true }).check();
      await page.getByRole("button", { name: "Save stage" }).click();
      await expect(page.getByTestId("saved")).toBeVisible();
      // History reads as sentences with the person's name, never raw JSON.
      await expect(page.getByTestId("history")).toContainText(/Asha Assessor moved the enquiry (from .+ )?to Contacted/);
      await expect(page.getByTestId("history")).not.toContainText("{");
    });

    test("closes for no response only after two contact attempts are logged, and names a worker", async ({ page, js, request }) => {
      test.setTimeout(60_000);
      const enquiry = await createEnquiry(request, { council: "portsmouth" });
      await open(page, `/staff/enquiries/${enquiry.reference}`, js);
      await expect(page.getByRole("heading", { name: enquiry.name })).toBeVisible();

      // With JavaScript the page redraws the enquiry after each save; a choice made while it
      // redraws can be undone by it, so the choice is made again until it holds.
      const closeForNoResponse = async () => {
        await expect(async () => {
          await page.getByLabel("Closed", { exact: true }).check();
          await page.getByLabel("Why is it closing?").selectOption("EQ-02");
          await expect(page.getByLabel("Closed", { exact: true })).toBeChecked({ timeout: 1_000 });
        }).toPass({ timeout: 15_000 });
        await page.getByRole("button", { name: "Save stage" }).click();
      };
      await closeForNoResponse();
      await expect(page.getByTestId("error-summary")).toContainText("Record at least 2 contact attempts");
      await expect(page.getByLabel("Why is it closing?")).toHaveValue("EQ-02");

      let logged = 0;
      for (const [how, outcome] of [["Phone call", "No answer"], ["Text message", "Sent, no reply yet"]]) {
        await page.getByLabel(how).check();
        await page.getByLabel(outcome).check();
        await page.getByRole("button", { name: "Log contact" }).click();
        await expect(page.getByTestId("saved")).toContainText("Contact logged.");
        // The enquiry is drawn again with the new entry before the next one is typed.
        logged += 1;
        await expect(page.getByText(`${logged} contact attempt(s) recorded.`)).toBeVisible();
      }
      await expect(page.getByTestId("contact-log")).toContainText("No answer");
      await expect(page.getByText("2 contact attempt(s) recorded.")).toBeVisible();

      await page.getByLabel("Named worker").selectOption({ label: "Asha Assessor" });
      await page.getByRole("button", { name: "Save allocation" }).click();
      await expect(page.getByTestId("saved")).toContainText("Allocation saved.");
      await expect(page.getByTestId("history")).toContainText("Asha Assessor allocated the enquiry to Asha Assessor");

      await closeForNoResponse();
      await expect(page.getByTestId("saved")).toContainText("Stage saved.");
      await expect(page.getByTestId("stage")).toContainText("EQ-02 No response after two contact attempts");
      await expect(page.getByTestId("history")).toContainText("Asha Assessor allocated the enquiry to Asha Assessor");
      await expect(page.getByTestId("history")).toContainText("Asha Assessor closed the enquiry: EQ-02");
    });
  });
});

test.describe("a workforce lead", () => {
  test.use({ role: "workforce-lead" });

  bothModes(() => {
    test("is refused the enquiry list", async ({ page, js }) => {
      await open(page, "/staff/enquiries", js);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
      await expect(page.getByTestId("enquiry-table")).toHaveCount(0);
    });
  });
});

test.describe("a team manager", () => {
  test.use({ role: "manager-portsmouth" });

  bothModes(() => {
    test("allocates several enquiries from the list at once", async ({ page, js, request }) => {
      const first = await createEnquiry(request, { council: "portsmouth" });
      const second = await createEnquiry(request, { council: "portsmouth" });
      await open(page, "/staff/enquiries", js);
      // Nothing selected: refused, and nothing changes.
      await page.getByLabel("Or allocate them to").selectOption({ label: "Asha Assessor" });
      await page.getByRole("button", { name: "Allocate selected" }).click();
      await expect(page.getByTestId("error-summary")).toContainText("Select at least one enquiry");
      await page.getByLabel(`Select ${first.reference}`).check();
      await page.getByLabel(`Select ${second.reference}`).check();
      await page.getByLabel("Or allocate them to").selectOption({ label: "Asha Assessor" });
      await page.getByRole("button", { name: "Allocate selected" }).click();
      await expect(page.getByTestId("saved")).toContainText("Changes saved.");
      for (const e of [first, second]) {
        await expect(page.getByRole("row", { name: new RegExp(e.reference) })).toContainText("Asha Assessor");
      }
    });
  });
});
