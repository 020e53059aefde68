// The oracle for "never printed": every spelling a secret or a token can take in output. Written
// apart from the library's redactor (src/lib/redact.ts, which the commands use), so that a gap there
// is not mirrored here.
import * as assert from "uvu/assert";
import { spellings } from "../interop/leaks.ts";
import type { Ran } from "../package/pack.ts";

/** Percent-encoding as RFC 6749 §2.3.1 wants it for a Basic credential part. */
function basicPart(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Spellings of a secret in output: raw, percent-, form- and JSON-encoded, HTML-escaped, and the
 * Basic credential it makes with `clientId` (RFC 6749 §2.3.1 encoded, and raw).
 */
export function secretSpellings(secret: string, clientId?: string): string[] {
  const html = secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const basic = clientId === undefined ? [] : [Buffer.from(`${basicPart(clientId)}:${basicPart(secret)}`).toString("base64"), Buffer.from(`${clientId}:${secret}`).toString("base64")];
  return [...new Set([...spellings(secret), html, ...basic])];
}

/** What must not appear, and where to look. */
export interface LeakCheck {
  /** Client secrets (and other credentials). */
  readonly secrets?: readonly string[];
  /** Access tokens. */
  readonly tokens?: readonly string[];
  /** The client id, for the Basic credentials the secrets make. */
  readonly clientId?: string;
  /** The streams to check. @default both */
  readonly streams?: readonly ("stdout" | "stderr")[];
}

/**
 * Asserts that a command's stdout and stderr hold none of the values, in none of their spellings.
 *
 * @param ran The command's output.
 * @param values Secrets and tokens, with the client id for Basic credentials.
 */
export function assertNoLeak(ran: Ran, values: LeakCheck): void {
  for (const stream of values.streams ?? ["stdout", "stderr"]) {
    const text = ran[stream];
    for (const secret of values.secrets ?? []) {
      for (const spelling of secretSpellings(secret, values.clientId)) assert.not.ok(text.includes(spelling), `${stream} shows the secret (${JSON.stringify(spelling.slice(0, 12))}…)`);
    }
    for (const token of values.tokens ?? []) {
      for (const spelling of secretSpellings(token)) assert.not.ok(text.includes(spelling), `${stream} shows a token (${JSON.stringify(spelling.slice(0, 12))}…)`);
    }
  }
}
