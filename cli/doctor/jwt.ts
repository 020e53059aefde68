// The doctor's access token step: a JWT access token's claims against expires_in, the resource
// asked for, and the clocks. Nothing is verified (a client treats the token as opaque); only
// claims are compared, and the token itself is never printed.
import type { Report } from "./report.ts";

/** Seconds two times may differ by before it matters. */
const TOLERANCE_S = 60;

/** A decoded JWT, unverified. */
export interface DecodedJwt {
  /** The JOSE header. */
  readonly header: Readonly<Record<string, unknown>>;
  /** The claims. */
  readonly payload: Readonly<Record<string, unknown>>;
}

function part(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a JWS compact JWT without verifying it.
 *
 * @param token An access token.
 * @returns The header and claims, or `undefined` when the token is not a JWT.
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  const header = part(parts[0]!);
  const payload = part(parts[1]!);
  return header && payload && typeof header["alg"] === "string" ? { header, payload } : undefined;
}

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const iso = (s: number): string => new Date(s * 1000).toISOString().replace(".000Z", "Z");

/** What the claims are compared with. */
export interface JwtContext {
  /** `expires_in` from the response, in seconds. */
  readonly expiresIn: number | undefined;
  /** When the response arrived, by this machine's clock (ms). */
  readonly receivedAt: number;
  /** The server's `Date` header (ms), when it sent one. */
  readonly serverDate: number | undefined;
  /** The resource indicators asked for. */
  readonly resource: readonly string[];
}

/**
 * Reports a JWT access token's `exp`, `iat`, `nbf` and `aud` against `expires_in`, the server's
 * `Date` header, this machine's clock and the resource asked for.
 *
 * @param jwt The decoded token.
 * @param context What to compare with.
 * @param report Where findings go.
 */
export function checkJwt(jwt: DecodedJwt, context: JwtContext, report: Report): void {
  const { payload } = jwt;
  const exp = num(payload["exp"]);
  const iat = num(payload["iat"]);
  const nbf = num(payload["nbf"]);
  const now = context.receivedAt / 1000;
  const serverNow = context.serverDate === undefined ? undefined : context.serverDate / 1000;
  const aud = typeof payload["aud"] === "string" ? [payload["aud"]] : Array.isArray(payload["aud"]) ? payload["aud"].map(String) : [];
  report.add("note", `a JWT (alg ${String(jwt.header["alg"])}${jwt.header["typ"] ? `, typ ${String(jwt.header["typ"])}` : ""}); iss ${JSON.stringify(payload["iss"] ?? null)}, aud ${aud.length ? aud.join(", ") : "none"}`);
  if (exp === undefined) {
    report.add("note", "no exp claim: only expires_in says when it expires");
  } else {
    if (exp <= now) report.add("warn", `exp ${iso(exp)} is already past by this machine's clock`);
    const issued = iat ?? serverNow;
    if (issued !== undefined && context.expiresIn !== undefined) {
      const lifetime = Math.round(exp - issued);
      const basis = iat !== undefined ? "exp − iat" : "exp − the server's Date";
      const gap = context.expiresIn - lifetime;
      if (gap > TOLERANCE_S) report.add("warn", `expires_in says ${context.expiresIn} s, but the JWT expires ${lifetime} s after issue (${basis}): tokenkeeper goes by expires_in, so for the last ${gap} s it would send an expired token`);
      else if (gap < -TOLERANCE_S) report.add("note", `the JWT lives ${lifetime} s (${basis}), longer than expires_in ${context.expiresIn} s: tokenkeeper refreshes by expires_in`);
      else report.add("ok", `exp ${iso(exp)}: ${lifetime} s after issue (${basis}), as expires_in says`);
    }
  }
  if (iat !== undefined) {
    if (serverNow !== undefined && Math.abs(iat - serverNow) > TOLERANCE_S) {
      report.add("warn", `iat ${iso(iat)} is ${Math.round(Math.abs(iat - serverNow))} s ${iat > serverNow ? "after" : "before"} the server's Date header: the issuer's clocks disagree`);
    }
    if (iat - now > TOLERANCE_S) report.add("warn", `iat ${iso(iat)} is ${Math.round(iat - now)} s in the future by this machine's clock: a clock is wrong`);
  }
  if (nbf !== undefined && nbf - now > TOLERANCE_S) report.add("warn", `nbf ${iso(nbf)}: not valid for another ${Math.round(nbf - now)} s by this machine's clock`);
  for (const resource of context.resource) {
    if (!aud.includes(resource)) report.add("warn", `the resource asked for, ${resource}, is not in aud (${aud.join(", ") || "none"}): the API may refuse the token`);
  }
}
