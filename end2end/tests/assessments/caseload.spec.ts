import { bothModes, expect, test, withJavaScript } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";
import { daysAgo, fillDate } from "../../support/dates";
import { MAIL_DIR, referenceLinkTo } from "../../support/mail";

// Assessments from the assessor's and the manager's side: the caseload shows each case's stage,
// next deadline and where it stands against the 8 months to panel; an assessor records checks
// (refused first with a clear message, what was typed kept); a manager sees each assessor's
// load and allocates a case. The demo cases are in server/src/seed_assessments.rs.

test.describe("an assessor's caseload", () => {
  test.use({ role: "assessor-portsmouth" });

  bothModes(() => {
    test("records a check on their own case, refused first for a date out of order", async ({ page, js, errors }) => {
      test.setTimeout(120_000);
      // Each mode records its own check, so the two runs never meet.
      const check = js ? "Medical" : "Local authority check";
      await open(page, "/staff/assessments", js);
      await expect(page.getByRole("heading", { name: "My caseload" })).toBeVisible();
      const cases = page.getByTestId("cases");
      await expect(cases).toContainText("Jordan and Sam Taylor");
      await expect(cases).toContainText("Priya Shah");
      // Another assessor's and the unallocated case are not on it.
      await expect(cases).not.toContainText("Chris and Morgan Lee");
      if (js) expect(await violations(page), "the caseload").toEqual([]);

      await page.getByRole("link", { name: "Jordan and Sam Taylor" }).click();
      if (js) await waitForHydration(page);
      await expect(page.getByRole("heading", { name: "Jordan and Sam Taylor" })).toBeVisible();
      if (js) expect(await violations(page), "the case").toEqual([]);
      await page.getByRole("link", { name: new RegExp(`^Record ${check}:`) }).click();
      if (js) await waitForHydration(page);
      await expect(page.getByRole("heading", { name: check })).toBeVisible();

      await fillDate(page, "requested_on", daysAgo(3));
      await fillDate(page, "received_on", daysAgo(10));
      await page.getByLabel("Clear").check();
      await page.getByLabel("Notes").fill("Seen in person");
      await page.getByRole("button", { name: "Save the check" }).click();
      await expect(page.locator(".error-summary")).toContainText("on or after the date it was requested");
      await expect(page.getByLabel("Notes")).toHaveValue("Seen in person");
      await expect(page).toHaveTitle(/^Error: /);
      if (js) expect(await violations(page), "the check form with errors").toEqual([]);

      await fillDate(page, "received_on", daysAgo(1));
      await page.getByRole("button", { name: "Save the check" }).click();
      await expect(page.getByTestId("saved")).toContainText("The check is recorded");
      const row = page.getByRole("row", { name: new RegExp(check) }).first();
      await expect(row).toContainText("Clear");
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});

test.describe("a referee", () => {
  test.use({ role: "assessor-portsmouth" });

  withJavaScript(() => {
    test("gives their reference through the emailed link without JavaScript, and the check is received", async ({ page, browser, errors }) => {
      test.skip(!MAIL_DIR, "MAIL_DIR is not set: run through scripts/test");
      test.setTimeout(120_000);
      const check = "/staff/assessments/FH-DEMO-ASM1/checks/7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a42";
      await open(page, check, true);
      await page.getByRole("button", { name: "Send the link" }).click();
      await expect(page.getByTestId("saved")).toContainText("The link is sent");
      await expect(page.getByTestId("link-status")).toContainText("alex.green@example.org");

      let link = "";
      await expect.poll(() => (link = referenceLinkTo("alex.green@example.org")), { timeout: 30_000 }).not.toBe("");
      const referee = await browser.newContext({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
      const form = await referee.newPage();
      await form.goto(link);
      await expect(form.getByRole("heading", { name: "Give a reference" })).toBeVisible();
      await form.getByLabel("How do you know the applicants?").fill("We have been neighbours for ten years");
      await form.getByRole("button", { name: /send/i }).click();
      await expect(form.getByTestId("reference-sent")).toBeVisible();
      // Once only.
      await form.goto(link);
      await expect(form.getByTestId("link-closed")).toBeVisible();
      await referee.close();

      await open(page, check, true);
      await expect(page.getByRole("heading", { name: "The reference" })).toBeVisible();
      await expect(page.getByText("We have been neighbours for ten years")).toBeVisible();
      expect(await violations(page), "the check with its reference").toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});

test.describe("a team manager", () => {
  test.use({ role: "manager-portsmouth" });

  withJavaScript(() => {
    test("sees each assessor's load and allocates a case", async ({ page, errors }) => {
      test.setTimeout(120_000);
      await open(page, "/staff/assessments", true);
      await expect(page.getByRole("heading", { name: "Assessments" })).toBeVisible();
      await expect(page.getByTestId("workload")).toContainText("Asha Assessor");
      await page.getByLabel("Whose").selectOption("none");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page.getByTestId("cases")).toContainText("Chris and Morgan Lee");
      await expect(page.getByTestId("cases")).not.toContainText("Jordan and Sam Taylor");
      expect(await violations(page), "the team's caseload").toEqual([]);

      await page.getByRole("link", { name: "Chris and Morgan Lee" }).click();
      await waitForHydration(page);
      await page.getByRole("link", { name: "Allocate the case" }).click();
      await waitForHydration(page);
      await page.getByRole("button", { name: "Allocate" }).click();
      await expect(page.locator(".error-summary")).toContainText("Select an assessor from the list");
      await page.getByLabel("Assessor").selectOption({ label: "Asha Assessor" });
      await page.getByRole("button", { name: "Allocate" }).click();
      await expect(page.getByTestId("saved")).toContainText("The case is allocated");
      await expect(page.getByTestId("allocations")).toContainText("allocated to Asha Assessor by");
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
