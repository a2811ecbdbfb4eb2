import { execFileSync } from "node:child_process";
import { Page } from "@playwright/test";
import { bothModes, expect, test } from "../../support/fixtures";
import { open, waitForHydration } from "../../support/page";
import { violations } from "../accessibility/axe";
import { addPanelToday, approveWithTerms, bookPanelAndSendPapers, readPapers } from "../../support/assessments";

// From Stage 2 to the carer register, each person at their own screen: a team manager adds a
// panel sitting today and seats its members; the assessor books a case and sends its papers; an
// independent member reads them; the chair records a quorate recommendation (refused first
// without one); the agency decision maker approves with the terms; the household is on the
// register. Each mode uses its own case and panel, so the two runs never meet.

/** A Portsmouth case at Stage 2, allocated to its assessor, its report signed off, straight into the database. */
function stageTwoCase(reference: string, household: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to make the case");
  execFileSync("psql", [
    url,
    "-qtAc",
    `insert into assessment (council_id, reference, household_name, received_on, assessor_id,
                             stage, stage1_decision, stage1_decided_on)
     select c.council_id, '${reference}', '${household}', current_date - 150, s.staff_user_id,
            'stage2', 'proceed', current_date - 90
     from council c, staff_user s
     where c.code = 'portsmouth' and s.email = 'assessor.portsmouth@example.org'`,
  ]);
  // Its report, every section signed off by the manager: the papers go only then (the sign-off
  // itself is report.spec.ts's journey).
  execFileSync("psql", [
    url,
    "-qtAc",
    `insert into assessment_section (assessment_id, section, status, signed_off_by, signed_off_at)
     select a.assessment_id, s, 'signed_off', m.staff_user_id, now()
     from assessment a, staff_user m,
          unnest(array['front_sheet', 'a1', 'a2', 'b1', 'b2', 'b3', 'c']) as s
     where a.reference = '${reference}' and m.email = 'manager.portsmouth@example.org'`,
  ]);
}

async function settle(page: Page, js: boolean) {
  if (js) await waitForHydration(page);
}

test.describe("a case from Stage 2 to approval", () => {
  test.use({ role: "manager-portsmouth" });

  bothModes(() => {
    test("goes through a quorate panel and the decision maker onto the carer register", async ({ page, js, as, errors }) => {
      test.setTimeout(240_000);
      const tag = `${js ? "J" : "N"}${Date.now().toString(36).toUpperCase()}`;
      const reference = `FH-E2E-${tag}`;
      const household = `Panel Journey ${tag}`;
      stageTwoCase(reference, household);

      // The manager adds a panel sitting today, quorum 3, and seats its three members.
      const panelName = `Panel ${tag}`;
      const panelPath = await addPanelToday(page, js, panelName);
      if (js) expect(await violations(page), "the panel").toEqual([]);

      // The assessor books the case onto it and sends the papers.
      await bookPanelAndSendPapers(await as("assessor-portsmouth"), js, reference, panelName);

      // The independent member finds the panel and reads the papers.
      const imran = await as("panel-member");
      await readPapers(imran, js, panelName, household);
      if (js) expect(await violations(imran), "the papers").toEqual([]);

      // The chair records the recommendation: refused without a quorum, then recorded.
      const chair = await as("chair-kent");
      await open(chair, `${panelPath}/cases/${reference}`, js);
      await chair.getByRole("link", { name: "Record the recommendation" }).click();
      await settle(chair, js);
      const present = chair.getByRole("group", { name: "Who was present?" });
      await present.getByRole("checkbox").first().check();
      await chair.getByRole("group", { name: "What does the panel recommend?" }).getByLabel("Approve as foster carers").check();
      await chair.getByLabel("The panel's reasons").fill("A warm and steady home.");
      await chair.getByLabel("Minutes").fill("The panel discussed the assessment with the assessor.");
      await chair.getByRole("button", { name: "Record the recommendation" }).click();
      await expect(chair.locator(".error-summary")).toContainText("not quorate");
      // What was typed is kept.
      await expect(chair.getByLabel("The panel's reasons")).toHaveValue("A warm and steady home.");
      if (js) expect(await violations(chair), "the refused recommendation").toEqual([]);
      for (const box of await present.getByRole("checkbox").all()) await box.check();
      await chair.getByRole("button", { name: "Record the recommendation" }).click();
      await expect(chair.getByTestId("saved")).toContainText("The recommendation is recorded");

      // The decision maker approves with the terms.
      await approveWithTerms(await as("decision-maker"), js, reference);

      // The household is on the carer register with its terms.
      await open(page, `/staff/carers/portsmouth/${reference}`, js);
      await expect(page.getByRole("heading", { name: household })).toBeVisible();
      await expect(page.locator("body")).toContainText("Up to 2 children aged 0 to 17: long-term");

      // The approval letter was drafted with the terms: the manager edits it, then records it
      // as posted (this household has no email address); it is then kept as sent.
      await open(page, `/staff/assessments/${reference}`, js);
      await page.getByTestId("letters").getByRole("link", { name: "Approval letter with the terms of approval" }).click();
      await settle(page, js);
      const letter = page.getByLabel("The letter");
      await expect(letter).toHaveValue(/Up to 2 children aged 0 to 17/);
      await letter.fill(`${await letter.inputValue()}\nWe look forward to working with you.`);
      await page.getByRole("button", { name: "Save the letter" }).click();
      await expect(page.getByTestId("saved")).toContainText("The letter is saved");
      if (js) {
        await settle(page, js);
        expect(await violations(page), "the letter").toEqual([]);
      }
      await page.getByRole("button", { name: "Record it as posted" }).click();
      await expect(page.getByTestId("letter-sent")).toContainText("to be posted");
      await expect(page.getByTestId("letter-text")).toContainText("We look forward to working with you.");
      await expect(page.getByLabel("The letter")).toHaveCount(0);
      expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
    });
  });
});
