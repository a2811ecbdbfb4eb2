import { APIRequestContext, Page, request as playwrightRequest } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { authFile } from "../../support/roles";
import { expect, test, Role } from "../../support/fixtures";
import { createEnquiry } from "../../support/data";
import { waitForHydration } from "../../support/page";
import { fill, pageRoutes, parameters } from "../../support/routes";
import { violations } from "./axe";

// Every page the app declares is checked against WCAG 2.2 AA. The pages come from the server's
// own route list (`server routes`), not from a list kept here, so a page added later is checked
// without anyone remembering to add it, and a page the sweep cannot fill in or open fails it,
// saying why. axe runs as a script in the page, so these run with JavaScript, on the hydrated
// page.

/**
 * A value for each route parameter, made for the test that needs it. A route with a parameter
 * not named here fails the sweep: add a maker for it.
 */
const SAMPLES: Record<string, (request: APIRequestContext, route: string) => Promise<string>> = {
  reference: async (request) => (await createEnquiry(request, { council: "portsmouth" })).reference,
  // A sign-in or referee link's token. Opening a sign-in link shows its button whatever the
  // token; a referee link we never made shows that it has expired.
  token: async () => "A".repeat(43),
  // A section of the application: an anonymous visitor is sent to sign in.
  // (and a section of an assessment's report, Form F's B1).
  section: async (_, route) => (route.startsWith("/staff/assessments") ? "b1" : "about-you"),
  // A household on the demo register, its placement and its hold (fixed ids in
  // server/src/seed_register.rs); on a search's pages, a household that search may show.
  council: async (_, route) => (route.startsWith("/staff/placements") ? "hampshire" : "portsmouth"),
  household: async (_, route) =>
    route.startsWith("/staff/placements") ? "HAM-101" : route.includes("/members/{member}") ? "PTH-003" : "PTH-001",
  // Someone living in the demo's PTH-003 (server/src/seed_register.rs).
  member: async () => demoMember(),
  placement: async () => "6f1d3c2a-0b7e-4f5a-9c1d-2e3f4a5b6c01",
  hold: async () => "6f1d3c2a-0b7e-4f5a-9c1d-2e3f4a5b6c02",
  // An import's report: a carer register (an administrator imports a one-row file for
  // Portsmouth), or training records (the workforce lead imports one of the assessor's).
  import: async (_, route) =>
    route.startsWith("/staff/training")
      ? recordsImport()
      : route.startsWith("/staff/sufficiency")
        ? returnsImport()
        : registerImport(),
  // A placement search of Portsmouth's (one child near PO1 2AB), and a household it may show.
  search: async () => placementSearch(),
  // Someone in the compliance matrix: the first person the administrator's matrix shows.
  person: async () => firstInMatrix(),
  // Portsmouth's demo assessment and one of its checks (fixed in server/src/seed_assessments.rs).
  // A panel's pages open the case booked on Portsmouth's demo panel.
  case: async (_, route) => (route.startsWith("/staff/panels") ? "FH-DEMO-ASM2" : "FH-DEMO-ASM1"),
  panel: async () => "5b2d4c6e-8f10-4a2b-9c3d-4e5f6a7b8c90",
  check: async () => "7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a41",
  // A kind of a case's letter (the demo case has none yet: the page says so).
  kind: async () => "approval",
  // The demo training session, and the demo administrator's own certificate.
  session: async () => "8d2f3e4a-5b6c-4d7e-9f80-a1b2c3d4e5f6",
  certificate: async () => "FH-C-DEM0C3RT",
};

/** Pages only some roles open, and the demo role the sweep opens them as (else the administrator). */
const OPENED_AS: [string, Role][] = [
  ["/staff/placements", "placement-officer"],
  ["/staff/training/compliance", "workforce-lead"],
  ["/staff/training/requirements", "workforce-lead"],
  ["/staff/training/import", "workforce-lead"],
  ["/staff/training/approvals", "workforce-lead"],
  ["/staff/sufficiency/imports", "commissioner"],
];

/** The first person of the administrator's compliance matrix: the key of their records page. */
async function firstInMatrix(): Promise<string> {
  const ctx = await playwrightRequest.newContext({
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    storageState: authFile("administrator"),
  });
  const r = await ctx.post("/api/training/compliance", { headers: { accept: "application/json" }, data: { query: {} } });
  expect(r.status(), await r.text()).toBe(200);
  const href: string = (await r.json()).rows[0].href;
  await ctx.dispose();
  return href.split("/").pop() ?? "";
}

/** Uploads a one-row CSV for Portsmouth as `role` and imports it: the report's id. */
async function importCsv(role: Role, purpose: string, run: string, csv: string): Promise<string> {
  const ctx = await playwrightRequest.newContext({
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    storageState: authFile(role),
  });
  const upload = await ctx.post(`/files/${purpose}?council=portsmouth`, {
    headers: { accept: "application/json" },
    multipart: { file: { name: "sweep.csv", mimeType: "text/csv", buffer: Buffer.from(csv) } },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const imported = await ctx.post(run, {
    headers: { accept: "application/json" },
    data: { form: { file: (await upload.json()).stored_file_id } },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  const id: string = await imported.json();
  await ctx.dispose();
  return id;
}

function registerImport(): Promise<string> {
  const row = `SWEEP-${Date.now().toString(36)},Sweep Household,PO1 2AB,mainstream,2024-03-14,active,1,0,17,any,short-term,,,,,Sweep Carer,,,`;
  const header = "household_reference,household_name,postcode,carer_type,approved_on,status,max_children,age_min,age_max,sex,placement_types,over_three_basis,skills,supervising_social_worker_email,last_annual_review_on,carer_full_name,carer_date_of_birth,carer_email,carer_phone";
  return importCsv("administrator", "carer-register", "/api/carers/import/run", `${header}\r\n${row}\r\n`);
}

function recordsImport(): Promise<string> {
  const csv = "email,competency,achieved_on,evidence\r\nassessor.portsmouth@example.org,Safeguarding children level 3,2025-01-15,Certificate seen\r\n";
  return importCsv("workforce-lead", "training-records", "/api/training/import/run", csv);
}

/** Uploads one SSDA903 Header file for Portsmouth as the hub's commissioner and starts its import. */
async function returnsImport(): Promise<string> {
  const ctx = await playwrightRequest.newContext({
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    storageState: authFile("commissioner"),
  });
  const csv = "CHILD,SEX,DOB,ETHNIC\r\nSWEEP1,1,01/05/2015,WBRI\r\n";
  const upload = await ctx.post(`/files/ssda903?council=portsmouth`, {
    headers: { accept: "application/json" },
    multipart: { file: { name: "header_2024.csv", mimeType: "text/csv", buffer: Buffer.from(csv) } },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const started = await ctx.post("/api/sufficiency/import", {
    headers: { accept: "application/json" },
    data: { form: { files: (await upload.json()).stored_file_id, year: "" } },
  });
  expect(started.status(), await started.text()).toBe(200);
  const id: string = await started.json();
  await ctx.dispose();
  return id;
}

/** Stores a placement search as Portsmouth's placement officer would, for its result pages. */
function placementSearch(): string {
  const start = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const query = {
    children: [{ date_of_birth: "2019-06-01", sex: "Female" }],
    needs: [],
    postcode: "PO1 2AB",
    grid: { easting: 464025, northing: 100179 },
    placement_type: "ShortTerm",
    start_on: start,
    max_miles: 20,
  };
  return execFileSync(
    "psql",
    [
      process.env.DATABASE_URL ?? "",
      "-qtAc",
      `insert into placement_search (council_id, staff_user_id, form, query)
       select c.council_id, s.staff_user_id, '{}', '${JSON.stringify(query)}'
       from council c, staff_user s
       where c.code = 'portsmouth' and s.email = 'placements.portsmouth@example.org'
       returning placement_search_id`,
    ],
    { encoding: "utf8" },
  ).trim();
}

/** The id of Ellis Lewis, who lives in the demo's PTH-003. */
function demoMember(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is needed to find the demo household's member");
  const id = execFileSync("psql", [url, "-qtAc", "select household_member_id from household_member where full_name = 'Ellis Lewis' limit 1"], {
    encoding: "utf8",
  }).trim();
  if (!id) throw new Error("the demo's Ellis Lewis is not in the database");
  return id;
}

/** The page, once hydrated, has no axe violations. */
async function check(page: Page, what: string) {
  await waitForHydration(page);
  expect(await violations(page), what).toEqual([]);
}

test.describe("every page in the route list", () => {
  for (const route of pageRoutes()) {
    test(`${route} has no violations`, async ({ page, request, as }) => {
      // Two fresh browsers each load and hydrate the whole bundle (a debug build here) and run
      // axe: more than one ordinary test's time on a busy 2-core machine.
      test.slow();
      const values: Record<string, string> = {};
      for (const name of parameters(route)) {
        const make = SAMPLES[name];
        if (!make) throw new Error(`${route}: no sample value for {${name}}: add one to SAMPLES in ${__filename}`);
        values[name] = await make(request, route);
      }
      const path = fill(route, values);

      // As a member of the public first: a page that needs signing in sends them to sign in.
      // The server's redirect is read without a browser: the sign-in page it leads to is checked
      // by its own entry in this sweep, so checking it again for every staff page (a fresh
      // browser loading and hydrating the whole bundle each time) would add minutes and nothing else.
      const anonymous = await request.get(path, { maxRedirects: 0 });
      const location = anonymous.headers()["location"] ?? "";
      const redirected = [301, 302, 303, 307, 308].includes(anonymous.status());
      if (redirected && new URL(location, "http://x").pathname === "/staff/sign-in") {
        expect(location, `${path} sends an anonymous visitor to sign in, and back after`).toContain("next=");
      } else {
        const response = await page.goto(path);
        expect(response?.status(), `${path} answered`).toBe(200);
        await check(page, `${path}, anonymous`);
        const sentToSignIn = new URL(page.url()).pathname === "/staff/sign-in" && !path.startsWith("/staff/sign-in");
        if (!sentToSignIn) return;
        expect(page.url(), `${path} sends an anonymous visitor to sign in, and back after`).toContain("next=");
      }

      // Then as an administrator, who may see every staff page but those of roles of their own.
      const role = OPENED_AS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? "administrator";
      const admin = await as(role);
      const adminResponse = await admin.goto(path);
      expect(adminResponse?.status(), `${path} answered an administrator`).toBe(200);
      expect(new URL(admin.url()).pathname, `${path} let an administrator in`).not.toBe("/staff/sign-in");
      await check(admin, `${path}, administrator`);
    });
  }
});

// States a page reaches only through use, which no route list can name.
test.describe("pages showing errors", () => {
  test("the enquiry form showing errors has no violations", async ({ page }) => {
    await page.goto("/enquire");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Send enquiry" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await check(page, "enquiry form with errors");
  });

  test("the sign-in page showing errors has no violations", async ({ page }) => {
    await page.goto("/staff/sign-in");
    await waitForHydration(page);
    await page.getByLabel("Email address").fill("nobody@example.org");
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await check(page, "sign-in with errors");
  });

  test("an enquiry refusing a status change has no violations", async ({ request, as }) => {
    const enquiry = await createEnquiry(request, { council: "portsmouth" });
    const page = await as("hub-officer");
    await page.goto(`/staff/enquiries/${enquiry.reference}`);
    await waitForHydration(page);
    await page.getByLabel("Closed", { exact: true }).check();
    await page.getByRole("button", { name: "Save stage" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await check(page, "enquiry with a refused status change");
  });

  test("the councils page showing errors has no violations", async ({ as }) => {
    const page = await as("administrator");
    await page.goto("/staff/councils");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Add council" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await check(page, "councils with errors");
  });

  test("the page-not-found page has no violations", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await waitForHydration(page);
    expect(await violations(page), "page not found").toEqual([]);
  });
});

test("the accessibility check itself catches a real violation", async ({ page }) => {
  // Guards against a check that cannot fail: an unlabelled input must be reported.
  await page.goto("/");
  await page.evaluate(() => document.querySelector("main")!.insertAdjacentHTML("beforeend", '<input type="text">'));
  expect((await violations(page)).some((v) => v.startsWith("label:"))).toBe(true);
});
