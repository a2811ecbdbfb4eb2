import { bothModes, expect, test } from "../../support/fixtures";
import { createEnquiry } from "../../support/data";
import { open } from "../../support/page";
import { Page } from "@playwright/test";

// Single sign-on through a council's own identity provider: the loopback OpenID provider
// (end2end/oidc/provider.mjs, started by ./scripts/test) plays Portsmouth's. The hub
// administrator connects it on the council's settings page, then a Portsmouth assessor signs in
// with their council account, sees only Portsmouth's work, and signs out here and there.
// Portsmouth keeps password sign-in too (`required: no`): the other tests' demo staff use it.

const ISSUER = process.env.OIDC_PORTSMOUTH ?? "http://127.0.0.1:4410";
const PROVIDER_PASSWORD = "Passw0rd!";

/** Connects Portsmouth's provider on its settings page, as the hub administrator. Saving the
 * same settings again changes nothing, so tests running at once may each do it. */
async function connectPortsmouth(admin: Page, js: boolean) {
  await open(admin, "/staff/councils/portsmouth/single-sign-on", js);
  await expect(admin.getByRole("heading", { name: "Single sign-on" })).toBeVisible();
  await admin.getByLabel("Issuer URL").fill(ISSUER);
  await admin.getByLabel("Client (application) ID").fill("fostering-hub");
  await admin.getByLabel("Client secret").fill("fh-secret-portsmouth");
  await admin.getByLabel("Work email domains").fill("portsmouth.gov.uk");
  await admin.getByLabel("Groups claim").fill("groups");
  await admin.getByLabel("Which groups grant which roles and team").fill("fh-assessors = Assessor\nfh-managers = Team manager");
  await admin.getByLabel("Longest session, in minutes").fill("480");
  await admin.getByLabel("No, they may also use a password").check();
  await admin.getByLabel("Yes", { exact: true }).check();
  await admin.getByRole("button", { name: "Save sign-in settings" }).click();
  await expect(admin.getByText("Sign-in settings saved.")).toBeVisible();
  // The secret is never shown back.
  await expect(admin.getByLabel("Client secret")).toHaveValue("");
}

bothModes(() => {
  test("a council assessor signs in through the council's provider, sees only their council's work, and signs out", async ({ page, js, as, request, errors }) => {
    // This spec alone signs in as the provider's `assessor`; its provider sign-in counts as
    // multi-factor here, so the product does not ask for its own second step.
    const set = await request.post(`${ISSUER}/__test/accounts/assessor`, { data: { groups: ["fh-assessors"], mfa: true } });
    expect(set.status()).toBe(204);

    await connectPortsmouth(await as("administrator"), js);

    const own = await createEnquiry(request, { council: "portsmouth" });
    const kent = await createEnquiry(request, { council: "kent" });

    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Work email").fill("assessor@portsmouth.gov.uk");
    await page.getByRole("button", { name: "Continue to your council's sign-in" }).click();
    // The council's own sign-in page.
    await expect(page).toHaveURL(new RegExp(`^${ISSUER}/interaction/`));
    await page.getByLabel("Username").fill("assessor");
    await page.getByLabel("Password").fill(PROVIDER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/staff\/enquiries/);
    await expect(page.getByTestId("signed-in-as")).toContainText(/Assessor, Portsmouth/);

    for (const [enquiry, seen] of [[own, true], [kent, false]] as const) {
      await open(page, `/staff/enquiries?reference=${enquiry.reference}`, js);
      if (seen) await expect(page.getByTestId("enquiry-table")).toContainText(enquiry.name);
      else await expect(page.getByTestId("no-enquiries")).toBeVisible();
    }
    await open(page, `/staff/enquiries/${kent.reference}`, js);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1&provider=portsmouth/);
    await expect(page.getByText("You have signed out.")).toBeVisible();
    await page.getByRole("link", { name: "Sign out of your council account too" }).click();
    // The provider asks whether to sign out there too, then comes back here.
    await expect(page).toHaveURL(new RegExp(`^${ISSUER}/session/end`));
    await page.getByRole("button", { name: /yes|sign.?out/i }).first().click();
    await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1/);
    await page.goto("/staff/enquiries");
    await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
    // Expected 404s only: Kent's enquiry opened on purpose above, and the test provider's pages,
    // which have no favicon. Any other console error fails the test.
    if (js) expect(errors.filter((e) => !e.includes("status of 404"))).toEqual([]);
  });

  test("someone their council has not allowed in is told so in plain words", async ({ page, js, as }) => {
    await connectPortsmouth(await as("administrator"), js);
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Work email").fill("nogroup@portsmouth.gov.uk");
    await page.getByRole("button", { name: "Continue to your council's sign-in" }).click();
    await expect(page).toHaveURL(new RegExp(`^${ISSUER}/interaction/`));
    await page.getByLabel("Username").fill("nogroup");
    await page.getByLabel("Password").fill(PROVIDER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\?sso=not-allowed/);
    await expect(page.getByTestId("sso-problem")).toContainText("Your council account is not allowed to use Fostering Hub");
    await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  });

  test("an email whose council has no provider is told to use a password", async ({ page, js }) => {
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Work email").fill("someone@nowhere-council.gov.uk");
    await page.getByRole("button", { name: "Continue to your council's sign-in" }).click();
    await expect(page.getByTestId("error-summary")).toContainText("does not sign in to Fostering Hub with its own accounts");
    await expect(page.getByLabel("Work email")).toHaveValue("someone@nowhere-council.gov.uk");
  });
});
