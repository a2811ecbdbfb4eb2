import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

// Two-factor codes for the browser tests: TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30 s) computed
// here from the secret shown on the enrolment page, exactly as an authenticator app would.

const STEP_SECONDS = 30;

/** The secret's bytes from its base32 text (as shown on the enrolment page; spaces ignored). */
export function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code for a time-step (RFC 4226's HOTP of the step). */
export function codeForStep(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return n.toString().padStart(6, "0");
}

export function currentStep(): number {
  return Math.floor(Date.now() / 1000 / STEP_SECONDS);
}

const AUTH_DIR = path.join(__dirname, "..", ".auth");
const SECRETS = path.join(AUTH_DIR, "two-factor-secrets.json");
const STEPS = path.join(AUTH_DIR, "two-factor-steps");

/** Forgets every saved secret and used step (the global setup starts from a fresh database). */
export function resetSecrets() {
  fs.rmSync(STEPS, { recursive: true, force: true });
  fs.mkdirSync(STEPS, { recursive: true });
  fs.writeFileSync(SECRETS, "{}");
}

/** Keeps `email`'s secret for later sign-ins (by any test worker). */
export function saveSecret(email: string, secret: string) {
  const all = JSON.parse(fs.readFileSync(SECRETS, "utf8"));
  all[email] = secret;
  fs.writeFileSync(SECRETS, JSON.stringify(all, null, 2));
}

export function secretOf(email: string): string {
  const secret = JSON.parse(fs.readFileSync(SECRETS, "utf8"))[email];
  if (!secret) throw new Error(`no two-factor secret saved for ${email}`);
  return secret;
}

/**
 * Claims a time-step for `email` across every test worker (an exclusive file per step): the
 * server refuses a step already used, so two tests signing the same person in must not send the
 * same code.
 */
function claim(email: string, step: number): boolean {
  try {
    fs.mkdirSync(STEPS, { recursive: true });
    fs.writeFileSync(path.join(STEPS, `${email}-${step}`), "", { flag: "wx" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A code for `email` the server has not seen: the current step's, or the next step's (accepted
 * as clock skew) when the current one is taken; otherwise waits for the next step.
 */
export async function freshCode(email: string, secret: string = secretOf(email)): Promise<string> {
  for (;;) {
    const now = currentStep();
    for (const step of [now, now + 1]) {
      // A step before the latest claimed one is refused too: claim only beyond it.
      if (laterClaimed(email, step)) continue;
      if (claim(email, step)) return codeForStep(secret, step);
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

function laterClaimed(email: string, step: number): boolean {
  const prefix = `${email}-`;
  return fs
    .readdirSync(STEPS)
    .filter((f) => f.startsWith(prefix))
    .some((f) => Number(f.slice(prefix.length)) >= step);
}
