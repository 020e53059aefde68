/**
 * The JWT bearer grant (RFC 7523 §2.1): the client asks for a token with a JWT it signs itself,
 * instead of the client credentials grant. The value of the keeper's `grant` option; the keeper
 * keeps everything else (cache, windows, single flight, stores, retries, events).
 *
 * @module
 */
import { assertionGrant } from "./lib/assertion-grant.ts";
import type { AuthorizationGrant, CryptoKey } from "./lib/types.ts";

export type { AuthorizationGrant } from "./lib/types.ts";

/** Options of {@link jwtBearer}. */
export interface JwtBearerOptions {
  /**
   * The assertion's `sub`: the principal the token is for (a user the client may act for).
   * @default the issuer itself (the keeper's `clientId`), as RFC 7523 §3 asks for a `sub`
   */
  subject?: string;
  /**
   * The assertion's `aud`.
   * @default the token endpoint URL, or the issuer when the endpoint is discovered
   */
  audience?: string;
  /**
   * Where the requested scope goes: the `scope` form parameter (RFC 7521 §4.1), or a `scope` claim
   * of the assertion, as Google reads it.
   * @default "parameter"
   */
  scopeIn?: "parameter" | "assertion";
  /**
   * How long each assertion is valid, from its `iat` to its `exp`, in whole seconds' worth of
   * milliseconds. A fresh one is signed for every token request.
   * @default 60000
   */
  assertionLifetimeMs?: number;
}

/**
 * The JWT bearer grant (RFC 7523 §2.1): every token request carries a fresh JWT signed with
 * `privateKey` (`iss` = the keeper's `clientId`, `sub`, `aud` = the token endpoint, `iat`, `nbf`,
 * `exp`, a unique `jti`), as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
 * `assertion`, with no client authentication. The algorithm follows the key (RS256, PS256, ES256,
 * …, as oauth4webapi signs). For a Google service account, {@link googleServiceAccount} makes the
 * whole option set from the key file.
 *
 * With a shared `store`, keepers are told apart by the grant, the issuer (`clientId`), the subject
 * and the key id: keys are told apart by their `kid`, so give each key its own.
 *
 * @param privateKey A private `CryptoKey` that can sign, or `{ key, kid }` to put a `kid` in the header.
 * @param options The subject, audience, where the scope goes, and the assertion lifetime.
 * @returns The value of the keeper's `grant` option.
 * @throws {TypeError} When the key is not a private key that can sign, or an option is malformed.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @example A service that trusts the client's key for its own tokens
 * ```ts
 * import { createTokenKeeper, jwtBearer } from "tokenkeeper";
 *
 * const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * const keeper = createTokenKeeper({
 *   tokenEndpoint: "https://as.example/token",
 *   clientId: "my-client", // the assertion's iss
 *   grant: jwtBearer({ key: privateKey, kid: "key-1" }),
 *   scope: "api:read",
 * });
 * ```
 */
export function jwtBearer(privateKey: CryptoKey | { readonly key: CryptoKey; readonly kid?: string }, options: JwtBearerOptions = {}): AuthorizationGrant {
  const { key, kid } = typeof privateKey === "object" && privateKey !== null && "key" in privateKey ? privateKey : { key: privateKey, kid: undefined };
  if (typeof key !== "object" || key === null || key.type !== "private" || !key.usages.includes("sign")) {
    throw new TypeError("jwtBearer: the key must be a private CryptoKey that can sign");
  }
  if (kid !== undefined && (typeof kid !== "string" || kid === "")) throw new TypeError("jwtBearer: kid must be a non-empty string");
  const { subject, audience, scopeIn = "parameter", assertionLifetimeMs = 60_000 } = options;
  for (const [option, value] of [["subject", subject], ["audience", audience]] as const) {
    if (value !== undefined && (typeof value !== "string" || value === "")) throw new TypeError(`jwtBearer: ${option} must be a non-empty string`);
  }
  if (scopeIn !== "parameter" && scopeIn !== "assertion") throw new TypeError(`jwtBearer: scopeIn must be "parameter" or "assertion"`);
  if (!Number.isInteger(assertionLifetimeMs / 1000) || assertionLifetimeMs < 1000) {
    throw new RangeError(`jwtBearer: assertionLifetimeMs must be a whole number of seconds (in milliseconds) >= 1000, got ${assertionLifetimeMs}`);
  }
  return assertionGrant({
    name: "jwtBearer",
    key: () => Promise.resolve(key),
    kid,
    subject,
    audience,
    scopeInAssertion: scopeIn === "assertion",
    lifetimeSeconds: assertionLifetimeMs / 1000,
    googleClaims: false,
  });
}
