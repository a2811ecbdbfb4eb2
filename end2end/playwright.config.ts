import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. The flags keep it off the closed network.
// Tests live in tests/<domain>/; shared fixtures (signed-in roles, both modes, per-test data) in
// support/. The global setup signs in as each demo role once and saves it in .auth/<role>.json.
export default defineConfig({
  testDir: "./tests",
  globalSetup: "./support/global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry, reported as "flaky" rather than hidden: staff pages loaded directly with
  // JavaScript sometimes fail to hydrate on this busy 2-core machine (seen: a page served with the
  // no-script policy instead of its nonce, a lazy route's wasm chunk refused for its MIME type, a
  // hydration mismatch). Set PW_RETRIES=0 to see every such failure.
  retries: Number(process.env.PW_RETRIES ?? 1),
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
