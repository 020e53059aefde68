// Verification of client assertions (RFC 7523, OIDF ValidateClientAssertionClaims) and DPoP
// proofs (RFC 9449 §4.3), with jose.
import { base64url, calculateJwkThumbprint, compactVerify, decodeJwt, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from "jose";
import type { JWK, JWTPayload } from "jose";

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/** The outcome of a verification: the problems found (none means valid). */
export interface Verified {
  /** Breaks of an RFC MUST: the server rejects the request. */
  problems: string[];
  /** Departures from practice beyond the RFC (aud not the issuer string, a long exp, no jti): recorded, accepted. */
  advisories?: string[];
  claims: JWTPayload;
  header: Record<string, unknown>;
}

function nearAny(seconds: unknown, nows: readonly number[], toleranceS: number): boolean {
  return typeof seconds === "number" && nows.some((n) => Math.abs(seconds - n / 1000) <= toleranceS);
}

/**
 * Checks a client assertion (`private_key_jwt`, or `client_secret_jwt` when `key` is the secret's
 * bytes). Problems (RFC 7523 §3 MUSTs): signature or MAC, `iss` = `sub` = client id, an `aud` that
 * identifies the server (its issuer or token endpoint URL), `exp` present and not past; for
 * `private_key_jwt` an asymmetric `alg` as registered. Advisories (rfc7523bis, FAPI 2.0, OIDC Core
 * §9): `aud` exactly the issuer as one string, `exp` at most 300 s ahead, `jti` present, `iat`
 * near now. `nows` are the clocks the client may follow (real and fake), in ms.
 */
export async function verifyClientAssertion(
  jwt: string,
  expected: { key: CryptoKey | Uint8Array; clientId: string; issuer: string; tokenEndpoint: string; alg: string; nows: readonly number[] },
): Promise<Verified> {
  const problems: string[] = [];
  const advisories: string[] = [];
  let claims: JWTPayload = {};
  let header: Record<string, unknown> = {};
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    claims = decodeJwt(jwt);
  } catch {
    return { problems: ["assertion is not a JWT"], claims, header };
  }
  const symmetric = expected.key instanceof Uint8Array;
  try {
    await compactVerify(jwt, expected.key);
  } catch {
    problems.push(symmetric ? "assertion MAC does not verify with the client secret" : "assertion signature does not verify with the registered key");
  }
  if (symmetric ? header.alg !== expected.alg : typeof header.alg !== "string" || !ASYMMETRIC.test(header.alg)) problems.push(`alg ${String(header.alg)} is not ${symmetric ? expected.alg : "asymmetric"}`);
  else if (header.alg !== expected.alg) problems.push(`alg ${header.alg} is not the registered ${expected.alg}`);
  if (claims.iss !== expected.clientId) problems.push("iss is not the client id");
  if (claims.sub !== expected.clientId) problems.push("sub is not the client id");
  const auds = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  const server = [expected.issuer, expected.tokenEndpoint];
  if (!auds.some((a) => server.includes(a))) problems.push(`aud ${JSON.stringify(claims.aud)} names neither the issuer nor the token endpoint`);
  else if (claims.aud !== expected.issuer) advisories.push(`aud ${JSON.stringify(claims.aud)} is not the issuer '${expected.issuer}' as one string`);
  if (typeof claims.jti !== "string" || claims.jti.length === 0) advisories.push("jti missing");
  const exp = claims.exp;
  if (typeof exp !== "number" || !expected.nows.some((n) => exp > n / 1000 - 5)) problems.push(`exp ${String(exp)} missing or past`);
  else if (!expected.nows.some((n) => exp <= n / 1000 + 300 + 5)) advisories.push(`exp ${exp} more than 300 s ahead`);
  if (claims.iat !== undefined && !nearAny(claims.iat, expected.nows, 300)) advisories.push("iat too far from now");
  return { problems, advisories, claims, header };
}

/** Base64url SHA-256 of a token: DPoP's `ath`. */
export async function accessTokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url.encode(new Uint8Array(digest));
}

/** A verified DPoP proof: problems, and the thumbprint of its key. */
export interface VerifiedProof extends Verified {
  jkt: string | undefined;
}

/**
 * Checks a DPoP proof (RFC 9449 §4.3): `typ` dpop+jwt, asymmetric alg, public `jwk` that verifies
 * it, `jti`, `htm`, `htu` (query and fragment stripped), `iat` within 5 minutes, `ath` for a
 * token, `nonce` when one is expected.
 */
export async function verifyDpopProof(
  proof: string | null,
  expected: { method: string; url: string; accessToken?: string; nonce?: string; nows: readonly number[] },
): Promise<VerifiedProof> {
  if (!proof) return { problems: ["no DPoP proof"], claims: {}, header: {}, jkt: undefined };
  const problems: string[] = [];
  let header: Record<string, unknown> = {};
  let claims: JWTPayload = {};
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
    claims = decodeJwt(proof);
  } catch {
    return { problems: ["DPoP proof is not a JWT"], claims, header, jkt: undefined };
  }
  let jkt: string | undefined;
  try {
    await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt" });
    jkt = await calculateJwkThumbprint(header.jwk as JWK);
  } catch (err) {
    problems.push(`proof does not verify: ${(err as Error).name}`);
  }
  if (header.typ !== "dpop+jwt") problems.push("typ is not dpop+jwt");
  if (typeof header.alg !== "string" || !ASYMMETRIC.test(header.alg)) problems.push("alg is not asymmetric");
  if (header.jwk && typeof header.jwk === "object" && "d" in header.jwk) problems.push("jwk holds a private key");
  if (typeof claims.jti !== "string") problems.push("jti missing");
  if (claims.htm !== expected.method) problems.push(`htm ${String(claims.htm)} is not ${expected.method}`);
  const u = new URL(expected.url);
  const htu = `${u.origin}${u.pathname}`;
  if (claims.htu !== htu) problems.push(`htu ${String(claims.htu)} is not ${htu}`);
  if (!nearAny(claims.iat, expected.nows, 300)) problems.push("iat too far from now");
  if (expected.accessToken !== undefined) {
    if (claims.ath !== (await accessTokenHash(expected.accessToken))) problems.push("ath does not match the token");
  } else if (claims.ath !== undefined) problems.push("ath present at the token endpoint");
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) problems.push(`nonce ${String(claims.nonce)} is not ${expected.nonce}`);
  return { problems, claims, header, jkt };
}
