// Node-only: a private key file (PKCS#8 or PKCS#1/SEC1 PEM, or a JWK) as a Web Crypto signing key
// for private_key_jwt.
import { createPrivateKey, type JsonWebKey } from "node:crypto";
import { UsageError } from "./args.ts";

/** A signing key read from a file. */
export interface LoadedPrivateKey {
  /** The private key, usable for signing only. */
  readonly key: CryptoKey;
  /** The key id from the JWK, when it has one. */
  readonly kid: string | undefined;
  /** The key material as text, so that output can be scrubbed of it. */
  readonly material: readonly string[];
}

/** The Web Crypto algorithm oauth4webapi signs with for a JWK (RS256, PS256, ES256/384/512, Ed25519). */
function algorithmOf(jwk: JsonWebKey & { alg?: string }): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  if (jwk.kty === "RSA") {
    const hash = /^(?:RS|PS)(384|512)$/.exec(jwk.alg ?? "")?.[1] ?? "256";
    return { name: jwk.alg?.startsWith("PS") ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: `SHA-${hash}` };
  }
  if (jwk.kty === "EC" && (jwk.crv === "P-256" || jwk.crv === "P-384" || jwk.crv === "P-521")) return { name: "ECDSA", namedCurve: jwk.crv };
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return { name: "Ed25519" };
  throw new UsageError(`the private key is a ${jwk.kty ?? "unknown"}${jwk.crv ? ` ${jwk.crv}` : ""} key: use RSA, EC P-256/P-384/P-521 or Ed25519`);
}

/**
 * Imports a private key for `private_key_jwt` from the text of a PEM or JWK file.
 *
 * @param text The file's text.
 * @returns The key, its `kid` when the JWK names one, and the material to scrub from output.
 * @throws {UsageError} When the text is not an unencrypted private key of a supported type.
 */
export async function importPrivateKey(text: string): Promise<LoadedPrivateKey> {
  let jwk: JsonWebKey & { alg?: string; kid?: string };
  try {
    const given = text.trimStart().startsWith("{") ? (JSON.parse(text) as JsonWebKey & { alg?: string; kid?: string }) : undefined;
    const keyObject = given ? createPrivateKey({ key: given, format: "jwk" }) : createPrivateKey(text);
    jwk = { ...(keyObject.export({ format: "jwk" }) as JsonWebKey), ...(given?.alg ? { alg: given.alg } : {}), ...(given?.kid ? { kid: given.kid } : {}) };
  } catch {
    throw new UsageError("the private key file holds no unencrypted private key (PEM or JWK)");
  }
  const algorithm = algorithmOf(jwk);
  const { kid, alg: _alg, ...material } = jwk;
  const key = await crypto.subtle.importKey("jwk", material, algorithm, false, ["sign"]);
  return { key, kid, material: [text, ...["d", "p", "q", "dp", "dq", "qi"].map((name) => (jwk as Record<string, unknown>)[name]).filter((v): v is string => typeof v === "string")] };
}
