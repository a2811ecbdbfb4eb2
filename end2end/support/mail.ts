import * as fs from "node:fs";
import * as path from "node:path";

// The mail the server sent, read from the folder its loopback SMTP server writes (MAIL_DIR, set
// by scripts/test). Tests that read mail skip themselves when it is not set.

export const MAIL_DIR = process.env.MAIL_DIR;

/** A message with its quoted-printable soft line breaks and escapes undone. */
export function decoded(message: string): string {
  return message.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every message sent so far that names `to` and contains `marker`, decoded, newest first. */
export function messagesTo(to: string, marker = ""): string[] {
  if (!MAIL_DIR || !fs.existsSync(MAIL_DIR)) return [];
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => path.join(MAIL_DIR, f))
    .map((f) => ({ f, at: fs.statSync(f).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .map(({ f }) => decoded(fs.readFileSync(f, "utf8")))
    .filter((m) => m.includes(to) && m.includes(marker));
}

/** The application invitation's sign-in token emailed to `to`, or "" while it has not come. */
export function invitationTo(to: string): string {
  return messagesTo(to, "invite you to apply")[0]?.match(/\/account\/sign-in\/([A-Za-z0-9_-]{43})/)?.[1] ?? "";
}

/** The reference link in the newest email to `to`, or "" while it has not come. */
export function referenceLinkTo(to: string): string {
  return messagesTo(to, "/reference/")[0]?.match(/\/reference\/([A-Za-z0-9_-]{43})/)?.[0] ?? "";
}
