import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";

// WCAG 2.2 AA, as UK public services must meet, checked by axe-core in a real browser.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** axe's findings on the page as it stands, one line each (rule, help, where). */
export async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
