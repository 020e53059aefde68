import type { CryptoKey } from "./crypto-key.ts";

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
