/**
 * DPoP (RFC 9449): tokens bound to a key pair, and the proofs that go with every token request and
 * every `keeper.fetch()` call; the value of the keeper's `dpop` option.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import { TokenKeeperError } from "./lib/errors.ts";
import { jwkThumbprint } from "./lib/fingerprint.ts";
import { type CryptoKeyPair, type DPoPKey, dpopFeature, type DPoPRequest, type DPoPSupport } from "./lib/types.ts";

export type { DPoPKey } from "./lib/types.ts";

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
    const init = request.init;
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
