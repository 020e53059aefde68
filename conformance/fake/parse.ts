// Request parsing done by hand, as CONFORMANCE.md's notes require: no framework helper that
// hides duplicates, skips form-decoding or ignores the media type.

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Parameters of a Content-Type header (`charset=UTF-8` → `{ charset: "UTF-8" }`). */
export function mediaParams(contentType: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (contentType ?? "").split(";").slice(1)) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"|"$/g, "");
  }
  return out;
}

/** RFC 6749 Appendix B decoding of one form component; `undefined` when it is malformed. */
export function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** A form body as ordered pairs, duplicates kept, plus what was odd about it. */
export interface FormBody {
  pairs: [string, string][];
  /** Every value of `name`. */
  all(name: string): string[];
  /** The single value of `name`, `undefined` when absent. */
  get(name: string): string | undefined;
  /** Names that appear more than once. */
  duplicates: string[];
  /** Names present with an empty value. */
  empty: string[];
  /** Whether the raw bytes are ASCII only. */
  ascii: boolean;
}

/** Parses raw body bytes as `application/x-www-form-urlencoded`. */
export function parseForm(bytes: Uint8Array): FormBody {
  const text = new TextDecoder().decode(bytes);
  const pairs: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(text)) pairs.push([k, v]);
  const counts = new Map<string, number>();
  for (const [k] of pairs) counts.set(k, (counts.get(k) ?? 0) + 1);
  return {
    pairs,
    all: (name) => pairs.filter(([k]) => k === name).map(([, v]) => v),
    get: (name) => pairs.find(([k]) => k === name)?.[1],
    duplicates: [...counts].filter(([, n]) => n > 1).map(([k]) => k),
    empty: pairs.filter(([, v]) => v === "").map(([k]) => k),
    ascii: bytes.every((b) => b < 0x80),
  };
}

/** A decoded HTTP Basic credential (RFC 6749 §2.3.1 over RFC 7617). */
export type BasicCredential =
  | { ok: true; clientId: string; clientSecret: string; rawId: string; rawSecret: string; schemeExact: boolean }
  | { ok: false; reason: string };

const BASIC = /^\s*basic\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

/**
 * Decodes `Authorization: Basic …` the way RFC 6749 requires: base64 → UTF-8 (fatal) → split at
 * the first `:` → form-decode each side. `rawId`/`rawSecret` keep the undecoded parts, to tell
 * over-encoding apart (interop info).
 */
export function parseBasic(header: string | null): BasicCredential | undefined {
  if (header === null || !/^\s*basic\b/i.test(header)) return undefined;
  const m = BASIC.exec(header);
  if (!m) return { ok: false, reason: "malformed Basic credentials" };
  let text: string;
  try {
    const binary = atob(m[1]!);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "Basic credentials are not base64 of UTF-8" };
  }
  const colon = text.indexOf(":");
  if (colon < 0) return { ok: false, reason: "Basic credentials have no ':'" };
  const rawId = text.slice(0, colon);
  const rawSecret = text.slice(colon + 1);
  const clientId = formDecode(rawId);
  const clientSecret = formDecode(rawSecret);
  if (clientId === undefined || clientSecret === undefined) return { ok: false, reason: "Basic credentials are not form-encoded" };
  return { ok: true, clientId, clientSecret, rawId, rawSecret, schemeExact: /^Basic [^ ]/.test(header) };
}

/** The RS-01 grammar: canonical scheme, one space, a b64token. */
export const STRICT_BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** Parses one `WWW-Authenticate`-style challenge's auth-params (`a="b", c=d`). */
export function challengeParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!;
  }
  return out;
}
