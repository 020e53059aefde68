/**
 * What tells keys and credentials apart: the JWK thumbprint of a public key (RFC 7638), which a
 * DPoP-bound token is bound to, and the fingerprint of a keeper's credential, which a shared
 * store's key holds.
 *
 * @module
 */
import type { ClientAuth } from "./auth.ts";
import { TokenKeeperError } from "./errors.ts";
import { digestHex } from "./store-crypto.ts";
import type { CryptoKey } from "./types.ts";

/** The members of a public JWK that its RFC 7638 thumbprint covers. */
export interface PublicJwkMembers {
  readonly kty?: string | undefined;
  readonly crv?: string | undefined;
  readonly x?: string | undefined;
  readonly y?: string | undefined;
  readonly e?: string | undefined;
  readonly n?: string | undefined;
}

/**
 * The JWK SHA-256 thumbprint (RFC 7638 §3) of a public key: the key's required members in
 * lexicographic order, as JSON without whitespace, hashed and base64url-encoded. A DPoP-bound
 * token is bound to it (RFC 9449 §6, `cnf.jkt`), and a shared store tells `private_key_jwt`
 * credentials apart by it.
 *
 * @param key A public key as a JWK (its private members, if any, are left out), or an extractable
 *   public `CryptoKey`.
 * @returns The thumbprint, base64url without padding.
 */
export async function jwkThumbprint(key: CryptoKey | PublicJwkMembers): Promise<string> {
  const jwk: PublicJwkMembers = "kty" in key ? key : await crypto.subtle.exportKey("jwk", key as globalThis.CryptoKey);
  const members = jwk.kty === "RSA" ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
    : jwk.kty === "EC" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
    : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(members))));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Sets these hashes apart from any other SHA-256 of the same bytes. */
const DOMAIN = "tokenkeeper credential fingerprint v1\0";

/**
 * What a shared store's key holds of the client's credential, so that a keeper with another (or
 * a wrong) credential for the same client never gets this one's token; made once, on first use:
 *
 * - a client secret (`client_secret_post`, `client_secret_basic`, `client_secret_jwt`): `secret:`
 *   and the SHA-256 of the secret, domain-separated (the store key made from it is an HMAC when
 *   the store has an encryption key, so that only then a store reader cannot test a guess);
 * - `private_key_jwt`: `jwk:` and the public key's JWK thumbprint (RFC 7638), once the public
 *   key has verified a signature of the private key (anyone can give another client's public key);
 * - `customClientAuth`: `id:` and the SHA-256 of its `credentialId`, domain-separated;
 * - `clientAssertion`: `id:` and the SHA-256 of the assertion's `iss` and `sub`, read on first use.
 *
 * @param auth The keeper's client authentication.
 * @returns A function that resolves to the fingerprint (the same promise every time it succeeded);
 *   it rejects with `CREDENTIAL_UNUSABLE` when `privateKeyJwt`'s public key does not belong to its
 *   private key, or a federated assertion cannot be read (then it tries again on the next call).
 * @throws {TypeError} At once, when nothing tells the credential apart: `privateKeyJwt()` with a
 *   non-extractable private key and no public key, or `customClientAuth()` without `credentialId`.
 */
export function credentialFingerprint(auth: ClientAuth): () => Promise<string> {
  const handle = auth.credential();
  const secrets = auth.secrets();
  let make: () => Promise<string>;
  if (handle !== undefined && "id" in handle) {
    const { id } = handle;
    make = async () => hashed("id", typeof id === "string" ? id : await id());
  } else if (handle !== undefined) {
    const { privateKey, publicKey } = handle;
    if (publicKey === undefined && !privateKey.extractable) {
      throw new TypeError("store: a store tells private_key_jwt keys apart by the public key, and this private key is not extractable: pass privateKeyJwt(keyPair) or privateKeyJwt({ key, publicKey })");
    }
    make = () => keyThumbprint(privateKey, publicKey);
  } else if (secrets.length > 0) {
    make = () => hashed("secret", JSON.stringify(secrets));
  } else {
    throw new TypeError(`store: a store cannot tell which credential "${auth.method}" sends: pass customClientAuth(method, auth, { credentialId })`);
  }
  let fingerprint: Promise<string> | undefined;
  // A failure is not kept: a federated assertion that could not be read now may be read next time.
  return () => (fingerprint ??= make().catch((error: unknown) => {
    fingerprint = undefined;
    throw error;
  }));
}

async function hashed(kind: string, value: string): Promise<string> {
  return `${kind}:${await digestHex(`${DOMAIN}${kind}\0${value}`)}`;
}

async function keyThumbprint(privateKey: CryptoKey, publicKey: CryptoKey | undefined): Promise<string> {
  // The thumbprint takes the public members only, which a private JWK carries too.
  if (publicKey === undefined) return `jwk:${await jwkThumbprint(await crypto.subtle.exportKey("jwk", privateKey as globalThis.CryptoKey))}`;
  const jwk = await crypto.subtle.exportKey("jwk", publicKey as globalThis.CryptoKey);
  if (!(await signsFor(privateKey, jwk).catch(() => false))) {
    throw new TokenKeeperError("CREDENTIAL_UNUSABLE", "token request not sent: privateKeyJwt's publicKey does not verify its private key's signatures (pass the key pair's own)");
  }
  return `jwk:${await jwkThumbprint(jwk)}`;
}

/** Whether the public key `jwk` verifies a signature made with `privateKey`. */
async function signsFor(privateKey: CryptoKey, jwk: PublicJwkMembers): Promise<boolean> {
  const { name, namedCurve, hash } = privateKey.algorithm as { name: string; namedCurve?: string; hash?: unknown };
  const { kty, crv, x, y, e, n } = jwk;
  const verifier = await crypto.subtle.importKey("jwk", { kty, crv, x, y, e, n } as JsonWebKey, { name, namedCurve, hash } as EcKeyImportParams, false, ["verify"]);
  // ECDSA takes the hash here, RSA-PSS the salt length; the other algorithms ignore both.
  const params = { name, hash: "SHA-256", saltLength: 32 };
  const data = new TextEncoder().encode(`${DOMAIN}key pair check`);
  return crypto.subtle.verify(params, verifier, await crypto.subtle.sign(params, privateKey as globalThis.CryptoKey, data), data);
}
