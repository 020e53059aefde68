// Everything an error shows a person or a log, and every spelling a secret can take on the wire.
import { inspect } from "node:util";

/**
 * The ways an error is commonly shown, for it and each error in its `cause` chain: `message`,
 * `String()`, `util.inspect` with hidden properties at any depth, and `JSON.stringify`.
 *
 * @param error The caught value.
 * @returns One text per rendering.
 */
export function renderings(error: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && current !== null && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    out.push(
      current instanceof Error ? current.message : "",
      String(current),
      inspect(current, { showHidden: true, depth: Infinity, getters: true }),
      JSON.stringify(current) ?? "",
    );
  }
  return out;
}

/**
 * A secret as it may appear anywhere: raw, percent-encoded, form-encoded and JSON-escaped.
 *
 * @param secret The secret.
 * @returns The distinct spellings.
 */
export function spellings(secret: string): string[] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, encodeURIComponent(secret), form, JSON.stringify(secret).slice(1, -1)])];
}
