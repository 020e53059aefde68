// The doctor's response step: what the token endpoint sent back, field by field, without the
// token itself.
import type { Report } from "./report.ts";

/** What the response step found that later steps use. */
export interface ResponseFacts {
  /** `expires_in` in seconds, when the response had a usable one. */
  readonly expiresIn: number | undefined;
}

function seconds(n: number): string {
  if (n >= 3600 && n % 3600 === 0) return `${n / 3600} h`;
  if (n >= 60 && n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
}

/**
 * Reports the token response: status, content type, caching, `token_type`, `expires_in`, and the
 * scope granted against the scope asked for.
 *
 * @param status The HTTP status.
 * @param headers The response headers.
 * @param body The response body's text (it holds the token: only field names and these fields are read).
 * @param askedScope The scope asked for.
 * @param report Where findings go.
 * @returns Facts for the later steps.
 */
export function checkTokenResponse(status: number, headers: Headers, body: string, askedScope: readonly string[], report: Report): ResponseFacts {
  const type = headers.get("content-type") ?? "";
  report.add(/^application\/json\s*(;|$)/i.test(type) ? "ok" : "warn", `status ${status}, content type ${type || "missing"}${/json/i.test(type) ? "" : " (RFC 6749 §5.1: application/json)"}`);
  if (!/\bno-store\b/i.test(headers.get("cache-control") ?? "")) report.add("note", "no Cache-Control: no-store on the token response (RFC 6749 §5.1 requires it; tokenkeeper does not cache it in HTTP caches anyway)");
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    report.add("note", "the response body could not be read again for a closer look");
    return { expiresIn: undefined };
  }
  const tokenType = json["token_type"];
  if (tokenType === "Bearer" || tokenType === "DPoP") report.add("ok", `token_type ${tokenType}`);
  else report.add("note", `token_type ${JSON.stringify(tokenType)} (compared case-insensitively, as RFC 6749 §5.1 allows)`);
  const expiresInfo = checkExpiresIn(json["expires_in"], report);
  checkScope(json["scope"], askedScope, report);
  if ("refresh_token" in json) report.add("note", "the response carries a refresh_token, which RFC 6749 §4.4.3 says a client credentials response should not; tokenkeeper ignores it");
  return expiresInfo;
}

function checkExpiresIn(value: unknown, report: Report): ResponseFacts {
  if (value === undefined) {
    report.add("note", "no expires_in: tokenkeeper assumes 5 min (defaultLifetimeMs) and refreshes early on a 401");
    return { expiresIn: undefined };
  }
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n)) {
    report.add("warn", `expires_in ${JSON.stringify(value)} is not a number`);
    return { expiresIn: undefined };
  }
  if (typeof value === "string") report.add("warn", `expires_in is the string ${JSON.stringify(value)}: RFC 6749 §5.1 wants a number (tokenkeeper tolerates it; other clients may not)`);
  else if (n === 0) report.add("warn", "expires_in 0: every call would need a new token (tokenkeeper uses such a token once and caches nothing)");
  else report.add("ok", `expires_in ${n} (${seconds(n)})`);
  return { expiresIn: n };
}

function checkScope(granted: unknown, asked: readonly string[], report: Report): void {
  if (granted === undefined) {
    report.add(asked.length ? "ok" : "note", asked.length ? `no scope in the response: granted as asked (${asked.join(" ")}), RFC 6749 §5.1` : "no scope asked for, none in the response");
    return;
  }
  if (typeof granted !== "string") return report.add("warn", "scope in the response is not a string");
  const tokens = granted.split(" ").filter(Boolean);
  if (!asked.length) return report.add("note", `scope granted: ${granted || "(empty)"} (none asked for: the server's default)`);
  const missing = asked.filter((s) => !tokens.includes(s));
  const extra = tokens.filter((s) => !asked.includes(s));
  if (missing.length) report.add("warn", `scope asked for but not granted: ${missing.join(" ")} (granted: ${granted || "nothing"})`);
  else report.add("ok", `scope granted as asked: ${granted}`);
  if (extra.length) report.add("note", `scope granted beyond what was asked: ${extra.join(" ")}`);
}
