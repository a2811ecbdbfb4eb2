import { expect, Page } from "@playwright/test";
import { today } from "./dates";
import { open, waitForHydration } from "./page";

// Steps of an assessment that more than one journey takes, each by the person who takes it.

async function settle(page: Page, js: boolean) {
  if (js) await waitForHydration(page);
}

/**
 * A team manager adds a panel sitting today (quorum 3) and seats its chair (Kent's manager), an
 * independent member and a social worker: the panel's page.
 */
export async function addPanelToday(page: Page, js: boolean, name: string): Promise<string> {
  await open(page, "/staff/panels", js);
  await page.getByRole("link", { name: "Add a panel date" }).click();
  await settle(page, js);
  await page.getByLabel("Name").fill(name);
  const d = today();
  await page.locator('[name="sits_on[day]"]').fill(d.day);
  await page.locator('[name="sits_on[month]"]').fill(d.month);
  await page.locator('[name="sits_on[year]"]').fill(d.year);
  await page.getByLabel("Quorum").fill("3");
  await page.getByRole("button", { name: "Add the panel" }).click();
  await expect(page.getByTestId("saved")).toContainText("The panel is added");
  const panelPath = new URL(page.url()).pathname;
  for (const [email, seat, years] of [
    ["manager.kent@example.org", "Chair", ""],
    ["panel.member@example.org", "Independent member", ""],
    ["supervising.portsmouth@example.org", "Social worker", "8"],
  ]) {
    await settle(page, js);
    await page.getByLabel("Email address of their Fostering Hub account").fill(email);
    await page.getByRole("group", { name: "Seat" }).getByLabel(seat, { exact: true }).check();
    if (years) await page.getByLabel("Years since qualifying as a social worker").fill(years);
    await page.getByRole("button", { name: "Save the member" }).click();
    await expect(page.getByTestId("saved")).toContainText("The member is saved");
    await expect(page.getByTestId("panel-members")).toContainText(seat);
  }
  return panelPath;
}

/** The case's assessor books it onto the named panel and records the papers as sent today. */
export async function bookPanelAndSendPapers(assessor: Page, js: boolean, reference: string, panelName: string) {
  await open(assessor, `/staff/assessments/${reference}`, js);
  await assessor.getByRole("link", { name: "Book the case onto a panel" }).click();
  await settle(assessor, js);
  const choice = await assessor.getByLabel("Panel").locator("option", { hasText: panelName }).getAttribute("value");
  await assessor.getByLabel("Panel").selectOption(choice ?? "");
  await assessor.getByRole("button", { name: "Book the panel" }).click();
  await expect(assessor.getByTestId("saved")).toContainText("booked onto the panel");
  await settle(assessor, js);
  await assessor.getByRole("button", { name: "Record that the papers went to members today" }).click();
  await expect(assessor.getByTestId("saved")).toContainText("The papers are recorded as sent");
}

/** A member of the panel finds it among their own and opens the household's papers. */
export async function readPapers(member: Page, js: boolean, panelName: string, household: string) {
  await open(member, "/staff/panels", js);
  await member.getByTestId("my-panels").getByRole("link", { name: panelName }).click();
  await settle(member, js);
  await member.getByRole("link", { name: household }).click();
  await settle(member, js);
  await expect(member.getByRole("heading", { name: household })).toBeVisible();
  await expect(member.getByText("Confidential: for members of this panel only.")).toBeVisible();
}

/** The agency decision maker approves the case with terms of two children aged 0 to 17, long-term. */
export async function approveWithTerms(maker: Page, js: boolean, reference: string) {
  await open(maker, `/staff/assessments/${reference}`, js);
  await expect(maker.getByText("Agency decision due")).toBeVisible();
  await maker.getByRole("link", { name: "Record the agency decision" }).click();
  await settle(maker, js);
  await maker.getByRole("group", { name: "What is the decision?" }).getByLabel("Approve as foster carers").check();
  await maker.getByLabel("The household's postcode").fill("PO1 2AB");
  await maker.getByLabel("Number of children").fill("2");
  await maker.getByLabel("Youngest age").fill("0");
  await maker.getByLabel("Oldest age").fill("17");
  await maker.getByRole("group", { name: "Types of placement" }).getByLabel("Long-term").check();
  await maker.getByRole("button", { name: "Record the decision" }).click();
  await expect(maker.getByTestId("saved")).toContainText("The decision is recorded");
  await expect(maker.getByText(/Approved on/)).toBeVisible();
}
