/**
 * base64url without padding (RFC 4648 §5), as JOSE writes it: thumbprints, and the parts of a JWT
 * read without verifying it.
 *
 * @module
 */

/** `bytes` as base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The claims of a compact JWS or JWT (its second part), read without verifying anything; `undefined`
 * when `jwt` is not three base64url parts whose second is a JSON object.
 */
export function unverifiedClaims(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  try {
    const binary = atob(parts[1]!.replace(/-/g, "+").replace(/_/g, "/"));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims) ? claims as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
