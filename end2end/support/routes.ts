import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

let cached: string[] | undefined;

/**
 * The path of every page the app declares, from the server binary the tests run against
 * (`server routes`, in axum's syntax: `{reference}` for a parameter). Read when a spec file
 * loads, so the sweep declares one test per page: Playwright loads spec files in its runner and
 * in each worker, and all must see the same list, which the binary gives them.
 */
export function pageRoutes(): string[] {
  if (cached) return cached;
  const bin =
    process.env.SERVER_BIN ??
    path.join(process.env.CARGO_TARGET_DIR ?? path.join(__dirname, "..", "..", "target"), "debug", "server");
  if (!fs.existsSync(bin)) {
    throw new Error(`no server binary at ${bin} to read the route list from: set SERVER_BIN (scripts/test does)`);
  }
  const routes = JSON.parse(execFileSync(bin, ["routes"], { encoding: "utf8" }));
  if (!Array.isArray(routes) || routes.length === 0 || !routes.every((r) => typeof r === "string")) {
    throw new Error(`${bin} routes printed no list of paths`);
  }
  cached = routes;
  return routes;
}

/** The names of a route's parameters: `{reference}` gives `reference`, `{*rest}` gives `rest`. */
export function parameters(route: string): string[] {
  return [...route.matchAll(/\{\*?([^}]+)\}/g)].map((m) => m[1]);
}

/** The route with each parameter replaced by its value. */
export function fill(route: string, values: Record<string, string>): string {
  return route.replace(/\{\*?([^}]+)\}/g, (_, name) => encodeURIComponent(values[name]));
}
