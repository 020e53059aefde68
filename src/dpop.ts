/**
 * The JWK SHA-256 thumbprint (RFC 7638) of a public key: what a DPoP-bound token is bound to
 * (RFC 9449 §6, `cnf.jkt`), so tokens of different keys are never shared.
 *
 * @param publicKey An extractable EC, RSA or OKP public key.
 * @returns The base64url thumbprint.
 */
export async function jwkThumbprint(publicKey: CryptoKey): Promise<string> {
  const jwk = await crypto.subtle.exportKey("jwk", publicKey);
  const members = jwk.kty === "RSA" ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
    : jwk.kty === "EC" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
    : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(members))));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
