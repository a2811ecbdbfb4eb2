import { execFileSync } from "node:child_process";
import { bothModes, expect, test } from "../../support/fixtures";
import { uniqueEmail, uniqueName } from "../../support/data";
import { open } from "../../support/page";

// Someone at the hub has lost their phone: the administrator resets their two-factor sign-in
// from the hub's staff accounts page, so their next sign-in sets it up again. The person is made
// for each test straight in the database with two-factor set up (the enrolment itself is
// `two-factor.spec.ts`'s journey).

function psql(statement: string, ...values: string[]): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must be set (scripts/test sets it)");
  const args = [url, "-qtA", "-v", "ON_ERROR_STOP=1"];
  values.forEach((v, i) => args.push("-v", `v${i}=${v}`));
  return execFileSync("psql", args, { input: statement }).toString().trim();
}

function hubMemberWithTwoFactor(email: string, name: string) {
  psql(
    `insert into staff_user (council_id, email, full_name, password_hash)
       select council_id, :'v0', :'v1', password_hash from staff_user where email = 'hub.officer@example.org';
     insert into staff_two_factor (staff_user_id, secret_nonce, secret_sealed, enrolled_at)
       select staff_user_id, '\\x00'::bytea, '\\x00'::bytea, now() from staff_user where email = :'v0';`,
    email,
    name,
  );
}

test.describe("an administrator", () => {
  test.use({ role: "administrator" });

  bothModes(() => {
    test("resets a staff member's two-factor sign-in from the staff accounts page", async ({ page, js }) => {
      const email = uniqueEmail("lost-phone");
      const name = uniqueName("Lou");
      hubMemberWithTwoFactor(email, name);

      await open(page, "/staff/councils/regional-hub/staff", js);
      const row = page.getByTestId("staff-accounts").getByRole("row").filter({ hasText: email });
      await expect(row).toContainText("Set up");
      await row.getByRole("button", { name: `Reset two-factor sign-in for ${name}` }).click();

      await expect(page.getByRole("status")).toContainText("Two-factor sign-in reset");
      await expect(row).toContainText("Not set up");
      await expect(row.getByRole("button", { name: /Reset two-factor/ })).toHaveCount(0);
      expect(
        psql(
          `select count(*) from staff_two_factor f join staff_user u using (staff_user_id) where u.email = :'v0'`,
          email,
        ),
      ).toBe("0");
    });
  });
});
