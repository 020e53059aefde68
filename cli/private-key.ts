// Node-only: a private key file (PKCS#8 or PKCS#1/SEC1 PEM, or a JWK) as a Web Crypto signing key
// for private_key_jwt. A JWK goes straight to Web Crypto, which checks it: node:crypto's JWK export
// aborts the process on an oversized `d` (an assertion in node 20), so it is never used.
import { createPrivateKey, type KeyObject } from "node:crypto";
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

type Jwk = JsonWebKey & { alg?: string; kid?: string };
type SigningAlgorithm = RsaHashedImportParams | EcKeyImportParams | Algorithm;

const UNSUPPORTED = "use RSA, EC P-256/P-384/P-521 or Ed25519";
const CURVES: Readonly<Record<string, string>> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

/** The Web Crypto algorithm oauth4webapi signs with for a JWK (RS256, PS256, ES256/384/512, Ed25519). */
function algorithmOf(jwk: Jwk): SigningAlgorithm {
  if (jwk.kty === "RSA") {
    const hash = /^(?:RS|PS)(384|512)$/.exec(jwk.alg ?? "")?.[1] ?? "256";
    return { name: jwk.alg?.startsWith("PS") ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: `SHA-${hash}` };
  }
  if (jwk.kty === "EC" && (jwk.crv === "P-256" || jwk.crv === "P-384" || jwk.crv === "P-521")) return { name: "ECDSA", namedCurve: jwk.crv };
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return { name: "Ed25519" };
  const kind = typeof jwk.kty === "string" && /^[A-Za-z]{1,8}$/.test(jwk.kty) ? jwk.kty : "unknown";
  const curve = typeof jwk.crv === "string" && /^[\w-]{1,16}$/.test(jwk.crv) ? ` ${jwk.crv}` : "";
  throw new UsageError(`the private key is a ${kind}${curve} key: ${UNSUPPORTED}`);
}

/** The Web Crypto algorithm for a key read from PEM. */
function pemAlgorithmOf(key: KeyObject): SigningAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === "rsa") return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  if (type === "rsa-pss") return { name: "RSA-PSS", hash: "SHA-256" };
  const curve = CURVES[String(key.asymmetricKeyDetails?.namedCurve)];
  if (type === "ec" && curve !== undefined) return { name: "ECDSA", namedCurve: curve };
  if (type === "ed25519") return { name: "Ed25519" };
  throw new UsageError(`the private key is a ${type ?? "unknown"} key: ${UNSUPPORTED}`);
}

async function importJwk(text: string): Promise<LoadedPrivateKey> {
  let given: unknown;
  try {
    given = JSON.parse(text);
  } catch {
    throw new UsageError("the private key file starts like a JWK but is not JSON");
  }
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw new UsageError("the private key file holds no JWK object");
  const jwk = given as Jwk;
  if (typeof jwk.d !== "string") throw new UsageError("the private key file holds a public key (a JWK without d): private_key_jwt needs the private key");
  const algorithm = algorithmOf(jwk);
  // Fields that would only restrict or describe the import; the key is made for signing here.
  const { kid, alg: _alg, key_ops: _ops, use: _use, ext: _ext, ...keyData } = jwk as Jwk & { use?: string };
  const secrets = [text, ...["d", "p", "q", "dp", "dq", "qi"].map((name) => (jwk as Record<string, unknown>)[name]).filter((v): v is string => typeof v === "string")];
  try {
    // Extractable: the token cache (a shared store) tells keys apart by the JWK thumbprint of
    // their public members, which the library reads from the private key.
    const key = await crypto.subtle.importKey("jwk", keyData, algorithm, true, ["sign"]);
    return { key, kid: typeof kid === "string" ? kid : undefined, material: secrets };
  } catch {
    throw new UsageError("the private key file's JWK is not a usable private key: its d, x, y or other members are malformed or do not belong together");
  }
}

async function importPem(text: string): Promise<LoadedPrivateKey> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(text);
  } catch {
    throw new UsageError("the private key file holds no unencrypted private key (PEM or JWK)");
  }
  const algorithm = pemAlgorithmOf(keyObject);
  const body = text.replace(/-----[^-]+-----|\s/g, "");
  try {
    // Extractable for the token cache's key thumbprint, as above.
    const key = await crypto.subtle.importKey("pkcs8", keyObject.export({ format: "der", type: "pkcs8" }), algorithm, true, ["sign"]);
    return { key, kid: undefined, material: [text, body] };
  } catch {
    throw new UsageError("the private key file's key cannot be used for signing");
  }
}

/**
 * Imports a private key for `private_key_jwt` from the text of a PEM or JWK file.
 *
 * @param text The file's text.
 * @returns The key, its `kid` when the JWK names one, and the material to scrub from output.
 * @throws {UsageError} When the text is not an unencrypted private key of a supported type, or
 *   Web Crypto refuses it (a malformed JWK `d`, for one): a usage error, never an internal one.
 */
export function importPrivateKey(text: string): Promise<LoadedPrivateKey> {
  return text.trimStart().startsWith("{") ? importJwk(text) : importPem(text);
}
