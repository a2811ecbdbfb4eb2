import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { uniqueEmail } from "../../support/data";
import { open, waitForHydration } from "../../support/page";
import { codeForStep, currentStep, freshCode } from "../../support/totp";

// Two-factor sign-in with real codes, computed from the secret the enrolment page shows. Each
// test makes its own administrator (a role that must use two-factor) with the server's
// `create-admin` command, so it enrols from scratch without touching the demo accounts.

const PASSWORD = "two-factor-test-password";

function createAdministrator(): string {
  const email = uniqueEmail("two-factor");
  const bin = process.env.SERVER_BIN;
  if (!bin || !process.env.DATABASE_URL) {
    throw new Error("SERVER_BIN and DATABASE_URL must be set (scripts/test sets them)");
  }
  execFileSync(bin, ["create-admin", email, "Test Administrator"], {
    env: { ...process.env, ADMIN_PASSWORD: PASSWORD, RUST_LOG: "warn" },
    stdio: "pipe",
  });
  return email;
}

bothModes(() => {
  test("an administrator enrols an authenticator app and signs in with a real code", async ({ page, js, errors }) => {
    // Three sign-ins (each a deliberately slow password check) on a small, busy machine.
    test.setTimeout(120_000);
    const email = createAdministrator();
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();

    // Required and not yet enrolled: the enrolment page, with the QR code and the secret as text.
    await expect(page).toHaveURL(/\/staff\/two-factor\/enrol$/);
    if (js) await waitForHydration(page);
    await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secret = (await page.getByTestId("two-factor-secret").getAttribute("data-secret"))!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByTestId("two-factor-secret")).toHaveText(secret.match(/.{4}/g)!.join(" "));

    // A wrong code is refused and the same secret shown again.
    const now = currentStep();
    const near = [now - 1, now, now + 1].map((s) => codeForStep(secret, s));
    const wrong = ["000000", "111111", "222222", "333333"].find((c) => !near.includes(c))!;
    await page.getByLabel("Code", { exact: true }).fill(wrong);
    await page.getByRole("button", { name: "Confirm and continue" }).click();
    await expect(page.getByTestId("error-summary")).toContainText("Enter the code your authenticator app shows now");
    await expect(page.getByTestId("two-factor-secret")).toHaveAttribute("data-secret", secret);

    await page.getByLabel("Code", { exact: true }).fill(await freshCode(email, secret));
    await page.getByRole("button", { name: "Confirm and continue" }).click();
    await expect(page).toHaveURL(/\/staff\/two-factor\/recovery-codes/);
    await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
    const recovery = (await page.getByTestId("recovery-codes").getByRole("listitem").first().textContent())!.trim();
    await page.getByRole("link", { name: /continue/ }).click();
    // On to /staff, which sends an administrator on to their first page.
    await expect(page).toHaveURL(/\/staff\/enquiries$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("Administrator");

    // Signing in again: the password, then a code from the app.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1/);
    if (js) await waitForHydration(page);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\/code$/);
    if (js) await waitForHydration(page);
    await page.getByLabel("Code", { exact: true }).fill(await freshCode(email, secret));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/staff\/enquiries$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("Administrator");

    // And with a recovery code, once.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1/);
    if (js) await waitForHydration(page);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/staff\/sign-in\/code$/);
    if (js) await waitForHydration(page);
    await page.getByLabel("Code", { exact: true }).fill(recovery);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/staff\/enquiries$/);
    // The one refusal the test made on purpose (the wrong code, answered 422) is the only error.
    if (js) expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
  });

  test("a half-done sign-in reaches no staff page", async ({ page, js }) => {
    const email = createAdministrator();
    await open(page, "/staff/sign-in", js);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/staff\/two-factor\/enrol$/);
    await page.goto("/staff/enquiries");
    await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  });
});
