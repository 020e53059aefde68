// Verification of client assertions (RFC 7523, OIDF ValidateClientAssertionClaims) and DPoP
// proofs (RFC 9449 §4.3), with jose.
import { base64url, calculateJwkThumbprint, compactVerify, decodeJwt, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from "jose";
import type { JWK, JWTPayload } from "jose";

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/** The outcome of a verification: the problems found (none means valid). */
export interface Verified {
  problems: string[];
  claims: JWTPayload;
  header: Record<string, unknown>;
}

function nearAny(seconds: unknown, nows: readonly number[], toleranceS: number): boolean {
  return typeof seconds === "number" && nows.some((n) => Math.abs(seconds - n / 1000) <= toleranceS);
}

/**
 * Checks a `private_key_jwt` assertion: signature, `iss` = `sub` = client id, `aud` = the issuer
 * as one string, `exp` in (now, now + 300 s], `jti` present, asymmetric `alg` as registered.
 * `nows` are the clocks the client may follow (real and fake), in ms.
 */
export async function verifyClientAssertion(
  jwt: string,
  expected: { publicKey: CryptoKey; clientId: string; issuer: string; alg: string; nows: readonly number[] },
): Promise<Verified> {
  const problems: string[] = [];
  let claims: JWTPayload = {};
  let header: Record<string, unknown> = {};
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    claims = decodeJwt(jwt);
  } catch {
    return { problems: ["assertion is not a JWT"], claims, header };
  }
  try {
    await compactVerify(jwt, expected.publicKey);
  } catch {
    problems.push("assertion signature does not verify with the registered key");
  }
  if (typeof header.alg !== "string" || !ASYMMETRIC.test(header.alg)) problems.push(`alg ${String(header.alg)} is not asymmetric`);
  else if (header.alg !== expected.alg) problems.push(`alg ${header.alg} is not the registered ${expected.alg}`);
  if (claims.iss !== expected.clientId) problems.push("iss is not the client id");
  if (claims.sub !== expected.clientId) problems.push("sub is not the client id");
  if (typeof claims.aud !== "string") problems.push(`aud is ${Array.isArray(claims.aud) ? "an array" : "missing"}, not the issuer string`);
  else if (claims.aud !== expected.issuer) problems.push(`aud '${claims.aud}' is not the issuer '${expected.issuer}'`);
  if (typeof claims.jti !== "string" || claims.jti.length === 0) problems.push("jti missing");
  const exp = claims.exp;
  const okExp = typeof exp === "number" && expected.nows.some((n) => exp > n / 1000 - 5 && exp <= n / 1000 + 300 + 5);
  if (!okExp) problems.push(`exp ${String(exp)} not in (now, now+300s]`);
  if (claims.iat !== undefined && !nearAny(claims.iat, expected.nows, 300)) problems.push("iat too far from now");
  return { problems, claims, header };
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
