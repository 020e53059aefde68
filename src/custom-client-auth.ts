/**
 * Any oauth4webapi `ClientAuth` as the keeper's `clientAuth`: mTLS behind an mTLS-capable fetch, or
 * a method tokenkeeper has no builder for, with what it writes redacted.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import { ClientAuth } from "./lib/auth.ts";
import { isTokenKeeperError, TokenKeeperError } from "./lib/errors.ts";
import type { Redactor } from "./lib/redact.ts";
import type { AuthorizationServerLike, ClientAuthentication, ClientLike } from "./lib/types.ts";

/**
 * A client authentication function with the shape of oauth4webapi's `ClientAuth`: it adds its
 * credential to the token request's body or headers. (Declared as a method so that oauth4webapi's
 * own `ClientAuth`, which takes its richer `AuthorizationServer` and `Client` types, fits.)
 */
export type ClientAuthFunction = {
  authenticate(as: AuthorizationServerLike, client: ClientLike, body: URLSearchParams, headers: Headers): void | Promise<void>;
}["authenticate"];

/** Methods whose credential is the TLS client certificate, not a value in the request. */
const mtlsMethods = new Set(["tls_client_auth", "self_signed_tls_client_auth"]);

/** Options of {@link customClientAuth}. */
export interface CustomClientAuthOptions {
  /**
   * What tells this credential apart from others of the same client, for a shared `store`: two
   * keepers share a stored token only when their ids are equal, so give each credential its own
   * (a certificate's or key's thumbprint, a vault path and version). It is hashed into the store
   * key (keyed with the store's encryption key, when it has one) and never sent.
   * @default none: a keeper with this authentication cannot use a shared store
   */
  credentialId?: string;
}

/**
 * Any oauth4webapi `ClientAuth` (for example `TlsClientAuth()` behind an mTLS-capable fetch).
 * Every value it writes (other than `client_id`) is redacted from errors; if it throws, the token
 * request fails with `CREDENTIAL_UNUSABLE` without its message (which may quote the credential);
 * and a request it leaves without any credential (no `Authorization` header, `client_secret` or
 * `client_assertion`, and not an mTLS method) is never sent.
 *
 * tokenkeeper cannot see which credential a function of yours sends, so a keeper with a shared
 * `store` needs `credentialId` to tell it apart (it is refused without one).
 *
 * @param method The `token_endpoint_auth_method` name, part of the cache key.
 * @param auth The oauth4webapi client authentication.
 * @param options The credential id, for a shared store.
 * @returns The client authentication.
 * @throws {TypeError} On an empty method, a non-function, oauth4webapi's `None()`, or an empty
 *   `credentialId`.
 * @example
 * ```ts
 * import * as oauth from "oauth4webapi";
 * import { createTokenKeeper, customClientAuth } from "tokenkeeper";
 *
 * createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientAuth: customClientAuth("tls_client_auth", oauth.TlsClientAuth()) });
 * ```
 * @example With a shared store: the certificate's thumbprint tells the credential apart
 * ```ts
 * import * as oauth from "oauth4webapi";
 * import { createTokenKeeper, customClientAuth } from "tokenkeeper";
 * import { memoryStore } from "tokenkeeper/stores/memory";
 *
 * const clientAuth = customClientAuth("tls_client_auth", oauth.TlsClientAuth(), { credentialId: "x5t#S256:6yWm0bM-aFLTg7b8wZ1Nr9ZgM6-7Xb5qv7xC1S9Y0aI" });
 * createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientAuth, store: memoryStore() });
 * ```
 */
export function customClientAuth(method: string, auth: ClientAuthFunction, options: CustomClientAuthOptions = {}): ClientAuthentication {
  if (typeof method !== "string" || method.length === 0) throw new TypeError("customClientAuth: method must be a non-empty string");
  if (typeof auth !== "function") throw new TypeError("customClientAuth: auth must be an oauth4webapi ClientAuth function");
  if (method === "none") throw new TypeError('customClientAuth: "none" is not client authentication');
  if (!mtlsMethods.has(method) && Function.prototype.toString.call(auth) === Function.prototype.toString.call(oauth.None())) {
    throw new TypeError(`customClientAuth: oauth4webapi's None() sends no client credential, so it cannot be "${method}"`);
  }
  const { credentialId } = options;
  if (credentialId !== undefined && (typeof credentialId !== "string" || credentialId === "")) {
    throw new TypeError("customClientAuth: credentialId must be a non-empty string");
  }
  const run = async (as: oauth.AuthorizationServer, client: oauth.Client, body: URLSearchParams, headers: Headers, _secrets: readonly string[], redactor: Redactor) => {
    try {
      await (auth as oauth.ClientAuth)(as, client, recording(body, redactor, "client_id"), recording(headers, redactor));
    } catch (error) {
      if (isTokenKeeperError(error)) throw error;
      // A caller's own function may quote the secret in its message, which nothing here knows.
      const name = error instanceof Error ? error.name : typeof error;
      throw new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: client authentication "${redactor.scrub(method)}" threw ${redactor.scrub(name)} (its message is not shown, as it may quote the credential)`);
    }
    if (!mtlsMethods.has(method) && !headers.has("authorization") && !body.has("client_secret") && !body.has("client_assertion")) {
      throw new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: client authentication "${method}" added no client credential`);
    }
  };
  return new ClientAuth(method, run, [], credentialId === undefined ? undefined : { id: credentialId });
}

/** A view of `target` whose `set` and `append` remember each value (except `exempt`'s) as a secret. */
function recording<T extends URLSearchParams | Headers>(target: T, redactor: Redactor, exempt?: string): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object) as unknown;
      if (typeof value !== "function") return value;
      if (property !== "set" && property !== "append") return value.bind(object);
      return (name: string, secret: string) => {
        if (name !== exempt) redactor.add(String(secret));
        return (value as (name: string, value: string) => void).call(object, name, secret);
      };
    },
  });
}
