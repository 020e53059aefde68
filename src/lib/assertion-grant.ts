/**
 * The JWT bearer grant (RFC 7523 §2.1) as a grant value: a fresh assertion signed for every token
 * request (by oauth4webapi's assertion signer), sent as `assertion` with no client authentication,
 * and a credential id for the shared-store key. `jwtBearer()` and `googleServiceAccount()` are built
 * on it.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import { ClientAuth } from "./auth.ts";
import { type AuthorizationGrant, type CryptoKey, grantFeature, type GrantSupport, type TokenGrant } from "./types.ts";

/** The `grant_type` of the JWT bearer grant (RFC 7523 §2.1). */
export const jwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** How one grant signs its assertions. */
export interface AssertionGrantSettings {
  /** Who makes the grant, for error messages (`jwtBearer`). */
  readonly name: string;
  /** The signing key (imported on first use, when it comes as PEM). */
  readonly key: () => Promise<CryptoKey>;
  readonly kid: string | undefined;
  /** `sub`: a principal; `undefined` is the issuer itself (RFC 7523 §3); `null` leaves it out (Google). */
  readonly subject: string | null | undefined;
  /** `aud`, when not the token endpoint (or the discovered issuer). */
  readonly audience: string | undefined;
  /** Whether the scope goes in the assertion's `scope` claim (Google) instead of the form (RFC 7521 §4.1). */
  readonly scopeInAssertion: boolean;
  /** Seconds from `iat` to `exp`. */
  readonly lifetimeSeconds: number;
  /** Only the claims Google documents (`iss`, `scope`, `aud`, `exp`, `iat`, `sub`) and `typ: "JWT"`. */
  readonly googleClaims: boolean;
}

/**
 * A grant value for the keeper's `grant` option.
 *
 * @param settings How its assertions are made.
 * @returns The grant.
 */
export function assertionGrant(settings: AssertionGrantSettings): AuthorizationGrant {
  const { name, kid, subject, audience, scopeInAssertion, lifetimeSeconds, googleClaims } = settings;
  const grant: TokenGrant = {
    type: jwtBearerGrantType,
    async parameters(body, as, client) {
      const scope = body.get("scope");
      if (scopeInAssertion) body.delete("scope");
      const key = await settings.key();
      // oauth4webapi signs (its algorithm follows the key); the claims are the grant's.
      const sign = oauth.PrivateKeyJwt(kid === undefined ? { key } : { key, kid }, {
        [oauth.modifyAssertion]: (header, payload) => {
          payload.exp = (payload.iat as number) + lifetimeSeconds;
          if (audience !== undefined) payload.aud = audience;
          if (subject === null) delete payload.sub;
          else if (subject !== undefined) payload.sub = subject;
          if (scopeInAssertion && scope !== null) payload.scope = scope;
          if (googleClaims) {
            header.typ = "JWT";
            delete payload.jti;
            delete payload.nbf;
          }
        },
      });
      const scratch = new URLSearchParams();
      await sign(as as oauth.AuthorizationServer, client as oauth.Client, scratch, new Headers());
      body.set("assertion", scratch.get("client_assertion")!);
    },
  };
  // The grant authenticates by its assertion: no client authentication. Its credential id (grant,
  // subject, key id: never the key) tells keepers apart in a shared store; the issuer is the
  // keeper's clientId, already in the cache key.
  const none = new ClientAuth("none", () => {}, [], { id: JSON.stringify([jwtBearerGrantType, subject ?? null, kid ?? null]) });
  const support: GrantSupport = {
    grant,
    auth({ clientSecret, clientAuth }) {
      if (clientSecret !== undefined || clientAuth !== undefined) {
        throw new TypeError(`grant: ${name}() authenticates with its assertion (RFC 7523 §2.1), so give neither clientSecret nor clientAuth`);
      }
      return none;
    },
  };
  return Object.freeze({ type: jwtBearerGrantType, [grantFeature]: support });
}
