/**
 * X.509 certificate credentials for `privateKeyJwt()`: a certificate and its private key, as
 * Microsoft Entra ID and other servers register them, made into a signing key whose assertions
 * carry the certificate's thumbprint in their JOSE header.
 *
 * @module
 */
import { base64url } from "./lib/base64url.ts";
import { type KeyAlgorithm, pemBlocks, readCertificate, readPrivateKeyAlgorithm } from "./lib/der.ts";
import type { CryptoKey } from "./lib/types.ts";

/** A JWS algorithm a certificate's key can sign with. */
export type CertificateAlgorithm = "PS256" | "PS384" | "PS512" | "RS256" | "RS384" | "RS512" | "ES256" | "ES384" | "ES512" | "Ed25519";

/** A certificate thumbprint a JOSE header can carry (RFC 7515 §4.1.7 and §4.1.8). */
export type CertificateThumbprint = "x5t#S256" | "x5t";

/** A private JWK with the certificate chain of its public key (`x5c`, leaf first, base64 DER). */
export interface CertificateJwk {
  /** The key type (`RSA`, `EC`, `OKP`). */
  readonly kty: string;
  /** The certificate chain, leaf first, each certificate's DER in base64 (RFC 7517 §4.7). */
  readonly x5c: readonly string[];
  /** The key id, put in the header unless `kid` is given. */
  readonly kid?: string;
  /** The algorithm (`PS256`, `RS256`, …), used unless `alg` is given. */
  readonly alg?: string;
  /** The key's other members: `n`, `e`, `d`, … */
  readonly [member: string]: unknown;
}

/** A PEM certificate (or its DER bytes) and its private key (PKCS#8 PEM, or a `CryptoKey`). */
export interface CertificateAndKey {
  /** The X.509 certificate: PEM text (its first `CERTIFICATE` block is used), or DER bytes. */
  readonly certificate: string | Uint8Array;
  /** The private key: a PKCS#8 PEM `PRIVATE KEY` block, or a private `CryptoKey` that can sign. */
  readonly privateKey: string | CryptoKey;
}

/** Options of {@link certificateKey}. */
export interface CertificateKeyOptions {
  /**
   * The algorithm an RSA key signs with: `PS256`, as Microsoft Entra ID's current docs ask, or
   * `RS256`, as its older docs and most other servers do. An EC key signs with `ES256`, `ES384` or
   * `ES512` by its curve, an Ed25519 key with `Ed25519`; a value that does not fit the key is refused.
   * @default "PS256" for RSA keys (a JWK's own `alg` when it has one)
   */
  alg?: CertificateAlgorithm;
  /**
   * The thumbprints of the certificate that go in the assertion's header: `x5t#S256` (SHA-256), as
   * Entra's current docs ask, `x5t` (SHA-1), as its older docs show with RS256, or both.
   * @default ["x5t#S256"]
   */
  thumbprints?: readonly CertificateThumbprint[];
  /**
   * The `kid` to put in the header as well.
   * @default the JWK's `kid`; none for PEM
   */
  kid?: string;
}

/**
 * A certificate's signing key, as `privateKeyJwt()` takes it: the private key (not extractable),
 * the certificate's public key (which tells keepers apart in a shared store), and the header members
 * that name the certificate.
 */
export interface CertificateKey {
  /** The private key, imported for signing only and not extractable. */
  readonly key: CryptoKey;
  /** The certificate's public key. */
  readonly publicKey: CryptoKey;
  /** The `kid`, when one was given. */
  readonly kid?: string;
  /** The base64url SHA-256 thumbprint of the certificate's DER, when asked for. */
  readonly "x5t#S256"?: string;
  /** The base64url SHA-1 thumbprint of the certificate's DER, when asked for. */
  readonly x5t?: string;
}

type ImportParams = { name: string; hash?: string; namedCurve?: string };

const name = "certificateKey";
const rsaNames: Record<string, string> = { PS: "RSA-PSS", RS: "RSASSA-PKCS1-v1_5" };

/** The Web Crypto parameters for the certificate's key and the algorithm asked for. */
function importParams(algorithm: KeyAlgorithm, alg: string | undefined): ImportParams {
  const { kind, namedCurve } = algorithm;
  if (kind === "RSA") {
    const [, family, bits] = /^(PS|RS)(256|384|512)$/.exec(alg ?? "PS256") ?? [];
    if (family === undefined) throw new TypeError(`${name}: alg "${alg}" cannot be used with an RSA key (PS256, RS256, …)`);
    return { name: rsaNames[family]!, hash: `SHA-${bits}` };
  }
  if (kind === "EC" && namedCurve !== undefined) {
    const own = `ES${namedCurve === "P-521" ? 512 : namedCurve.slice(2)}`;
    if (alg !== undefined && alg !== own) throw new TypeError(`${name}: alg "${alg}" cannot be used with a ${namedCurve} key (${own})`);
    return { name: "ECDSA", namedCurve };
  }
  if (kind === "Ed25519") {
    if (alg !== undefined && alg !== "Ed25519" && alg !== "EdDSA") throw new TypeError(`${name}: alg "${alg}" cannot be used with an Ed25519 key`);
    return { name: "Ed25519" };
  }
  throw new TypeError(`${name}: the certificate's key is not RSA, EC (P-256, P-384, P-521) or Ed25519`);
}

/** The parameters of `crypto.subtle.sign()` and `verify()` for a key imported with `params`. */
function signParams(params: ImportParams): { name: string; hash?: string; saltLength?: number } {
  if (params.name === "RSA-PSS") return { name: params.name, saltLength: Number(params.hash!.slice(4)) / 8 };
  return params.name === "ECDSA" ? { name: "ECDSA", hash: `SHA-${params.namedCurve === "P-521" ? 512 : params.namedCurve!.slice(2)}` } : { name: params.name };
}

/** The one PKCS#8 block of `pem`, or a `TypeError` that says how to get one. */
function pkcs8(pem: string): Uint8Array {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) throw new TypeError(`${name}: the private key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -nocrypt)`);
  const [der] = pemBlocks(pem, "PRIVATE KEY", name);
  if (der === undefined) {
    const legacy = /-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(pem) ? " (this is a PKCS#1 or SEC 1 key: convert it with openssl pkcs8 -topk8 -nocrypt)" : "";
    throw new TypeError(`${name}: no PKCS#8 "PRIVATE KEY" PEM block${legacy}`);
  }
  return der;
}

/** The certificate's DER from PEM text, DER bytes, or a JWK's `x5c`. */
function certificateDer(certificate: unknown): Uint8Array {
  if (certificate instanceof Uint8Array) return certificate;
  if (typeof certificate === "string") {
    const [der] = pemBlocks(certificate, "CERTIFICATE", name);
    if (der !== undefined) return der;
  }
  throw new TypeError(`${name}: no X.509 certificate (a PEM "CERTIFICATE" block, DER bytes, or a JWK's x5c)`);
}

/** What imports the private key, once the algorithm is known. */
type KeySource = (params: ImportParams) => Promise<CryptoKey>;

const imported = (format: "pkcs8" | "jwk", data: Uint8Array | JsonWebKey): KeySource => async (params) => {
  try {
    // Never extractable: no code that holds the keeper can export the key.
    return await crypto.subtle.importKey(format as "jwk", data as JsonWebKey, params, false, ["sign"]);
  } catch (error) {
    // A Web Crypto error names what failed, never the key; its message is left out all the same.
    throw new TypeError(`${name}: the private key cannot be imported for ${params.name} (${(error as Error)?.name ?? "error"})`);
  }
};

/** The certificate DER, the private key's source, and the JWK's `kid` and `alg`, from what was given. */
function parse(source: string | CertificateAndKey | CertificateJwk): { der: Uint8Array; key: KeySource; kid?: string; alg?: string; check?: (algorithm: KeyAlgorithm) => void } {
  if (typeof source === "string") return parse({ certificate: source, privateKey: source });
  if (typeof source !== "object" || source === null) throw new TypeError(`${name}: expected PEM text, { certificate, privateKey }, or a private JWK with x5c`);
  if ("kty" in source) {
    const { x5c, kid, alg, d } = source;
    if (!Array.isArray(x5c) || typeof x5c[0] !== "string") throw new TypeError(`${name}: the JWK has no x5c certificate chain`);
    if (typeof d !== "string") throw new TypeError(`${name}: the JWK is not a private key`);
    let der: Uint8Array;
    try {
      der = Uint8Array.from(atob(x5c[0]), (c) => c.charCodeAt(0));
    } catch {
      throw new TypeError(`${name}: the JWK's x5c[0] is not base64`);
    }
    // Only the key's own members: Web Crypto refuses a JWK whose alg or key_ops differ from the import.
    const members: JsonWebKey = {};
    for (const member of ["kty", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi"] as const) {
      if (typeof source[member] === "string") (members as Record<string, unknown>)[member] = source[member];
    }
    return { der, key: imported("jwk", members), ...(typeof kid === "string" ? { kid } : {}), ...(typeof alg === "string" ? { alg } : {}) };
  }
  const { certificate, privateKey } = source as Partial<CertificateAndKey>;
  const der = certificateDer(certificate);
  if (typeof privateKey === "string") {
    const key = pkcs8(privateKey);
    const own = readPrivateKeyAlgorithm(key);
    const check = (algorithm: KeyAlgorithm) => {
      if (own.kind !== algorithm.kind || own.namedCurve !== algorithm.namedCurve) throw new TypeError(`${name}: the private key does not belong to the certificate`);
    };
    return { der, key: imported("pkcs8", key), check };
  }
  const given = privateKey as CryptoKey | undefined;
  if (typeof given !== "object" || given === null || given.type !== "private" || !given.usages.includes("sign")) {
    throw new TypeError(`${name}: privateKey must be a PKCS#8 PEM or a private CryptoKey that can sign`);
  }
  return {
    der,
    key: async (params) => {
      const { name: algorithm, hash } = given.algorithm as { name: string; hash?: { name: string } };
      if (algorithm !== params.name || (params.hash !== undefined && hash?.name !== params.hash)) {
        throw new TypeError(`${name}: the private CryptoKey is ${algorithm}${hash ? ` with ${hash.name}` : ""}, not ${params.name}${params.hash ? ` with ${params.hash}` : ""} as alg asks`);
      }
      return given;
    },
  };
}

/**
 * Reads an X.509 certificate and its private key into a signing key for {@link privateKeyJwt}:
 * each assertion then carries the certificate's thumbprint in its JOSE header (`x5t#S256`, or `x5t`
 * where asked), which is how Microsoft Entra ID finds the certificate registered for the app, and
 * the certificate's public key tells keepers apart in a shared store. The private key is imported
 * for signing only, not extractable; the certificate is not verified here (the server does that),
 * but a private key that does not sign for the certificate's public key is refused.
 *
 * Give a PEM text that holds both the certificate and a PKCS#8 private key (as
 * `AZURE_CLIENT_CERTIFICATE_PATH` files do), `{ certificate, privateKey }` (PEM or DER certificate;
 * PEM private key or a private `CryptoKey`), or a private JWK with `x5c`.
 *
 * @param source The certificate and its private key.
 * @param options The signing algorithm (RSA: `PS256` or `RS256`), the header's thumbprints, a `kid`.
 * @returns The key, for `privateKeyJwt()`.
 * @throws {TypeError} On a missing or malformed certificate or key (its content is never quoted),
 *   an encrypted or PKCS#1 key (with the openssl command that converts it), an `alg` that does not
 *   fit the key, or a private key that does not belong to the certificate.
 * @see https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 * @example Microsoft Entra ID with a certificate (PS256 and `x5t#S256`, as Entra's docs ask)
 * ```ts
 * import { certificateKey, createTokenKeeper, privateKeyJwt } from "tokenkeeper";
 *
 * const pem = "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----";
 * const graph = createTokenKeeper({
 *   tokenEndpoint: "https://login.microsoftonline.com/my-tenant-id/oauth2/v2.0/token",
 *   clientId: "my-app-id",
 *   clientAuth: privateKeyJwt(await certificateKey(pem)),
 *   scope: "https://graph.microsoft.com/.default",
 * });
 * ```
 * @example RS256 with the SHA-1 thumbprint (`x5t`), as Entra's older docs show it
 * ```ts
 * import { certificateKey, privateKeyJwt } from "tokenkeeper";
 *
 * declare const certificate: string, privateKey: string;
 * const clientAuth = privateKeyJwt(await certificateKey({ certificate, privateKey }, { alg: "RS256", thumbprints: ["x5t"] }));
 * ```
 */
export async function certificateKey(source: string | CertificateAndKey | CertificateJwk, options: CertificateKeyOptions = {}): Promise<CertificateKey> {
  const { thumbprints = ["x5t#S256"], kid: givenKid } = options;
  if (!Array.isArray(thumbprints) || thumbprints.some((t) => t !== "x5t#S256" && t !== "x5t")) throw new TypeError(`${name}: thumbprints must list "x5t#S256" and/or "x5t"`);
  if (givenKid !== undefined && (typeof givenKid !== "string" || givenKid === "")) throw new TypeError(`${name}: kid must be a non-empty string`);
  const parsed = parse(source);
  const certificate = readCertificate(parsed.der);
  parsed.check?.(certificate.algorithm);
  const params = importParams(certificate.algorithm, options.alg ?? parsed.alg);
  const key = await parsed.key(params);
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey("spki", certificate.spki as BufferSource, params, true, ["verify"]);
  } catch (error) {
    throw new TypeError(`${name}: the certificate's public key cannot be imported for ${params.name} (${(error as Error)?.name ?? "error"})`);
  }
  // A certificate with someone else's key would sign assertions the server can never verify.
  const probe = new TextEncoder().encode("tokenkeeper certificate key check");
  const signature = await crypto.subtle.sign(signParams(params), key as globalThis.CryptoKey, probe);
  if (!(await crypto.subtle.verify(signParams(params), publicKey as globalThis.CryptoKey, signature, probe))) {
    throw new TypeError(`${name}: the private key does not belong to the certificate`);
  }
  const thumbprint = async (hash: string) => base64url(new Uint8Array(await crypto.subtle.digest(hash, parsed.der as BufferSource)));
  const kid = givenKid ?? parsed.kid;
  return Object.freeze({
    key,
    publicKey,
    ...(kid === undefined ? {} : { kid }),
    ...(thumbprints.includes("x5t#S256") ? { "x5t#S256": await thumbprint("SHA-256") } : {}),
    ...(thumbprints.includes("x5t") ? { x5t: await thumbprint("SHA-1") } : {}),
  });
}
