import * as path from "node:path";

/** The password of every demo account (demo data only). */
export const PASSWORD = "demo-password-2026";

/**
 * One demo account per role, as `server seed-demo` loads them (see `DEMO_STAFF` in
 * server/src/seed.rs), plus an assessor in a second council to show the boundary and an
 * independent panel member outside every council.
 */
export const ROLES = {
  "hub-officer": "hub.officer@example.org",
  "assessor-portsmouth": "assessor.portsmouth@example.org",
  "manager-portsmouth": "manager.portsmouth@example.org",
  "assessor-kent": "assessor.kent@example.org",
  "workforce-lead": "workforce.lead@example.org",
  "placement-officer": "placements@example.org",
  "ssw-portsmouth": "supervising.portsmouth@example.org",
  "placements-portsmouth": "placements.portsmouth@example.org",
  administrator: "admin@example.org",
  "panel-member": "panel.member@example.org",
  // Kent's team manager, who chairs Portsmouth's panels too.
  "chair-kent": "manager.kent@example.org",
  "decision-maker": "decision.maker@example.org",
  // The hub's commissioner: imports any council's SSDA903 returns, sees the region's forecast.
  commissioner: "commissioner@example.org",
} as const;

export type Role = keyof typeof ROLES;

/** Where the global setup saves a role's signed-in browser state (cookies); gitignored. */
export function authFile(role: Role): string {
  return path.join(__dirname, "..", ".auth", `${role}.json`);
}
