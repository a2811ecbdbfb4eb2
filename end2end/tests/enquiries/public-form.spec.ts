import { bothModes, expect, test, withJavaScript } from "../../support/fixtures";
import { fillValidEnquiry, REFERENCE, uniqueEmail } from "../../support/data";
import { markPage, open, wasReloaded } from "../../support/page";

// The public enquiry form: it must work without JavaScript (a plain form post answered by the
// server) and with it (a server function, no page reload), with the same messages either way.

bothModes(() => {
  test("an enquiry is sent and the reference shown", async ({ page, js, errors }) => {
    await open(page, "/enquire?source=spring-radio", js);
    await fillValidEnquiry(page, uniqueEmail("sent"));
    if (js) await markPage(page);
    await page.getByRole("button", { name: "Send enquiry" }).click();

    await expect(page).toHaveURL(/\/enquire\/thank-you\/FH-/);
    await expect(page.getByRole("heading", { name: "Enquiry sent" })).toBeVisible();
    await expect(page.getByTestId("reference")).toHaveText(REFERENCE);
    if (js) {
      expect(await wasReloaded(page), "sent without a full page load").toBe(false);
      expect(errors).toEqual([]);
    }
  });

  test("bad input shows the error summary and field messages and keeps what was typed", async ({ page, js }) => {
    await open(page, "/enquire", js);
    await page.getByLabel("Full name").fill("Ann Smith");
    await page.getByLabel("Email address").fill("not-an-email");
    await page.getByLabel("Phone number").fill("12345");
    await page.getByLabel("Postcode").fill("ZZ99 9ZZZ");
    await page.getByLabel("Long-term fostering").check();
    if (js) await markPage(page);
    // Without JavaScript the form posts to the page; with it, the server function answers.
    const response = page.waitForResponse((r) =>
      js ? r.url().includes("/api/enquiries/submit") : r.url().endsWith("/enquire") && r.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Send enquiry" }).click();
    expect((await response).status()).toBe(422);

    const summary = page.getByTestId("error-summary");
    await expect(summary).toBeVisible();
    await expect(summary.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(summary.getByRole("link", { name: /Enter an email address in the correct format/ })).toHaveAttribute("href", "#email");
    await expect(summary.getByRole("link", { name: "Enter a real UK postcode, like PO1 2AB" })).toBeVisible();
    await expect(summary.getByRole("link", { name: "Enter a UK phone number, like 07700 900 982" })).toHaveAttribute("href", "#phone");
    await expect(page.locator("#email-error")).toContainText("Enter an email address in the correct format");
    await expect(page.locator("#phone-error")).toContainText("Enter a UK phone number");
    await expect(page.locator("#council-error")).toContainText("Select the council area you live in");
    if (!js) await expect(page).toHaveTitle(/^Error: /);

    // What they typed is still there.
    await expect(page.getByLabel("Full name")).toHaveValue("Ann Smith");
    await expect(page.getByLabel("Email address")).toHaveValue("not-an-email");
    await expect(page.getByLabel("Phone number")).toHaveValue("12345");
    await expect(page.getByLabel("Postcode")).toHaveValue("ZZ99 9ZZZ");
    await expect(page.getByLabel("Long-term fostering")).toBeChecked();

    if (js) {
      // The summary takes focus so a screen reader announces it; its links move to the field.
      await expect(summary).toBeFocused();
      expect(await wasReloaded(page), "answered without a full page load").toBe(false);
      await summary.getByRole("link", { name: /phone number/i }).click();
      await expect(page.getByLabel("Phone number")).toBeFocused();
    }
  });

  test("hostile text is shown back escaped, never run", async ({ page, js }) => {
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs++;
      d.dismiss();
    });
    await open(page, "/enquire", js);
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await page.getByLabel("Full name").fill(hostile);
    await page.getByRole("button", { name: "Send enquiry" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await expect(page.getByLabel("Full name")).toHaveValue(hostile);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    expect(dialogs).toBe(0);
  });
});

withJavaScript(() => {
  test("the page hydrates without console errors", async ({ page, errors }) => {
    await open(page, "/enquire", true);
    expect(errors).toEqual([]);
  });

  test("a double click sends one enquiry", async ({ page }) => {
    await open(page, "/enquire", true);
    await fillValidEnquiry(page, uniqueEmail("double"));
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/enquiries/submit")) posts.push(r.url());
    });
    await page.getByRole("button", { name: "Send enquiry" }).dblclick();
    await expect(page.getByTestId("reference")).toHaveText(REFERENCE);
    expect(posts.length).toBe(1);
  });
});
