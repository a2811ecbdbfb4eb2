import { Page } from "@playwright/test";

// Dates as the GOV.UK date input takes them: day, month and year in their own boxes.

export type DateParts = { day: string; month: string; year: string };

/** The day `n` days before today (`n` may be negative for days ahead), in this machine's zone. */
export function daysAgo(n: number): DateParts {
  const d = new Date(Date.now() - n * 86_400_000);
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

export function today(): DateParts {
  return daysAgo(0);
}

/** Types `d` into the date input named `name` (its `[day]`, `[month]` and `[year]` boxes). */
export async function fillDate(page: Page, name: string, d: DateParts) {
  await page.locator(`[name="${name}[day]"]`).fill(d.day);
  await page.locator(`[name="${name}[month]"]`).fill(d.month);
  await page.locator(`[name="${name}[year]"]`).fill(d.year);
}
