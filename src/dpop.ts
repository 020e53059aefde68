import * as oauth from "oauth4webapi";
import type { CryptoKey, CryptoKeyPair } from "./lib/crypto-key.ts";
import { TokenKeeperError } from "./lib/errors.ts";
import { dpopFeature } from "./lib/features.ts";
import { jwkThumbprint } from "./lib/jwk-thumbprint.ts";
import type { FetchLike } from "./lib/fetch-like.ts";


/** What the keeper uses of a {@link dpop} value. */
export interface DPoPSupport {
  /** A new oauth4webapi handle that signs proofs and keeps nonces (one per keeper and use). */
  handle(): oauth.DPoPHandle;
  /** The public key's JWK thumbprint, part of the shared-store key. */
  thumbprint(): Promise<string>;
  /** Whether a token endpoint error asks for a (new) DPoP nonce (RFC 9449 §8). */
  isNonceError(error: unknown): boolean;
  /**
   * Sends a request with a DPoP-bound token and a fresh proof; once more with the nonce the
   * resource server asks for (RFC 9449 §9), when the body can be sent again.
   */
  send(request: DPoPRequest): Promise<Response>;
}

/** One resource request as {@link DPoPSupport.send} takes it. */
export interface DPoPRequest {
  readonly url: URL;
  /** A fresh `RequestInit` for each send. */
  readonly init: () => RequestInit;
  readonly replayable: boolean;
  readonly accessToken: string;
  readonly handle: oauth.DPoPHandle;
  readonly fetch: FetchLike;
}

/** A DPoP key pair for sender-constrained tokens (RFC 9449); made by {@link dpop}. */
export interface DPoPKey {
  /** @internal */
  readonly [dpopFeature]: DPoPSupport;
}

/**
 * Binds tokens to a key pair with DPoP (RFC 9449): every token request and every `keeper.fetch()`
 * call with a DPoP-bound token carries a fresh proof signed by `keyPair`. A server that answers
 * `token_type: "Bearer"` anyway gets its token used as Bearer, without proof.
 *
 * @param keyPair An asymmetric key pair whose public key is extractable (ES256 is a good choice).
 * @returns The value to pass as `dpop`.
 * @throws {TypeError} When `keyPair` is not a `CryptoKeyPair`.
 * @example
 * ```ts
 * import { createTokenKeeper, dpop } from "tokenkeeper";
 *
 * const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret", dpop: dpop(keys) });
 * ```
 */
export function dpop(keyPair: CryptoKeyPair): DPoPKey {
  if (keyPair?.privateKey?.type !== "private" || keyPair.publicKey?.type !== "public") {
    throw new TypeError("dpop: expected a CryptoKeyPair (privateKey and publicKey)");
  }
  let thumbprint: Promise<string> | undefined;
  const support: DPoPSupport = {
    handle: () => oauth.DPoP({}, keyPair),
    thumbprint: () => (thumbprint ??= jwkThumbprint(keyPair.publicKey)),
    isNonceError: (error) => oauth.isDPoPNonceError(error),
    send: sendWithProof,
  };
  return Object.freeze({ [dpopFeature]: support });
}

async function sendWithProof(request: DPoPRequest): Promise<Response> {
  const attempt = async (): Promise<Response | undefined> => {
    const init = request.init();
    const headers = new Headers(init.headers);
    headers.delete("authorization");
    headers.delete("dpop");
    try {
      return await oauth.protectedResourceRequest(request.accessToken, init.method ?? "GET", request.url, headers, null, {
        DPoP: request.handle,
        [oauth.allowInsecureRequests]: request.url.protocol === "http:",
        [oauth.customFetch]: (target, options) => request.fetch(target, { ...init, headers: options.headers, redirect: "manual" }),
      });
    } catch (error) {
      if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
      // A nonce demand is retried once, if the body can be sent again.
      return oauth.isDPoPNonceError(error) && request.replayable ? undefined : error.response;
    }
  };
  const first = await attempt();
  if (first !== undefined) return first;
  const retried = await attempt();
  if (retried === undefined) throw new TokenKeeperError("HTTP_ERROR", "fetch failed: the resource server kept demanding a new DPoP nonce", { status: 401 });
  return retried;
}
