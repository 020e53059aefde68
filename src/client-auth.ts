import * as oauth from "oauth4webapi";
import type { CryptoKey, CryptoKeyPair } from "./lib/crypto-key.ts";
import type { Redactor } from "./lib/redact.ts";

/** @internal */
export const authFunction: unique symbol = Symbol("tokenkeeper.clientAuth");
/** The secret values each authentication sends, kept off the object so that nothing shows them. */
const secretsByAuth = new WeakMap<ClientAuthentication, readonly string[]>();

/**
 * @internal A client authentication as a token request runs it: oauth4webapi's `ClientAuth`, also
 * given the request's redactor, so that a caller's own function can have what it writes redacted.
 */
export type InternalClientAuth = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  body: URLSearchParams,
  headers: Headers,
  redactor: Redactor,
) => void | Promise<void>;

/**
 * How the client authenticates at the token endpoint: build one with {@link clientSecretPost},
 * {@link clientSecretBasic}, {@link privateKeyJwt}, {@link clientSecretJwt} or
 * {@link customClientAuth}. The secret or key lives in a closure: inspecting or serialising this
 * object shows only `method`.
 */
export interface ClientAuthentication {
  /** The `token_endpoint_auth_method` name, part of the cache key. */
  readonly method: string;
  /** @internal */
  readonly [authFunction]: InternalClientAuth;
}

/** The authorization server as a client authentication function sees it. */
export interface AuthorizationServerLike {
  /** The issuer identifier (for a static token endpoint: its URL). */
  readonly issuer: string;
  /** The token endpoint URL. */
  readonly token_endpoint?: string;
}

/** The client as a client authentication function sees it. */
export interface ClientLike {
  /** The client identifier. */
  readonly client_id: string;
}

/**
 * A client authentication function with the shape of oauth4webapi's `ClientAuth`: it adds its
 * credential to the token request's body or headers. (Declared as a method so that oauth4webapi's
 * own `ClientAuth`, which takes its richer `AuthorizationServer` and `Client` types, fits.)
 */
export type ClientAuthFunction = {
  authenticate(as: AuthorizationServerLike, client: ClientLike, body: URLSearchParams, headers: Headers): void | Promise<void>;
}["authenticate"];

/** A private key for `private_key_jwt`, with an optional JWK key id for the JOSE header. */
export interface PrivateKeyWithId {
  /** An asymmetric private `CryptoKey` with the `sign` usage. */
  readonly key: CryptoKey;
  /** The `kid` to put in the assertion's header. */
  readonly kid?: string;
  /**
   * The key pair's public key (extractable, as `generateKey()` makes it). A shared store tells
   * keepers apart by its JWK thumbprint; without it, a store needs an extractable private key.
   * @default none: the thumbprint comes from an extractable private key
   */
  readonly publicKey?: CryptoKey;
}

/** Options of the JWT-based client authentications. */
export interface ClientAssertionOptions {
  /**
   * The assertion's `aud`. RFC 7523 wants the authorization server's issuer identifier.
   * @default the issuer when `issuer` is configured, else the token endpoint URL
   */
  audience?: string;
}

/**
 * @internal What tells a credential apart in a shared store's key when its secrets do not (it
 * sends none): a private key with its public key, or an id given by the caller.
 */
export type CredentialHandle =
  | { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey | undefined }
  | { readonly id: string };
const handles = /* @__PURE__ */ new WeakMap<ClientAuthentication, CredentialHandle>();

/** @internal Attaches a {@link CredentialHandle} to `auth`; returns `auth`. */
export function withCredential(auth: ClientAuthentication, handle: CredentialHandle): ClientAuthentication {
  handles.set(auth, handle);
  return auth;
}

/** @internal The {@link CredentialHandle} of `auth`, if it has one. */
export function credentialOf(auth: ClientAuthentication): CredentialHandle | undefined {
  return handles.get(auth);
}

/** @internal Makes a {@link ClientAuthentication}; `secrets` are the values it sends, for redaction. */
export function define(method: string, auth: InternalClientAuth, secrets: readonly string[] = []): ClientAuthentication {
  const value: ClientAuthentication = Object.freeze({ method, [authFunction]: auth });
  secretsByAuth.set(value, secrets);
  return value;
}

function assertSecret(secret: unknown, name: string): asserts secret is string {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new TypeError(`${name}: the client secret must be a non-empty string`);
  }
}

/**
 * RFC 6749 §2.3.1 encoding of a Basic credential part, written so that a form decoder (Appendix B)
 * and a plain percent decoder (Authlib, many others) both recover the original: everything outside
 * the unreserved set is percent-encoded, a space included (`%20`, never `+`).
 */
function basicEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `client_secret_post`: `client_id` and `client_secret` in the form body. What `clientSecret`
 * alone means.
 *
 * @param clientSecret The client secret.
 * @returns The client authentication.
 * @throws {TypeError} When the secret is empty.
 * @example The same as `clientSecret: "my-secret"`
 * ```ts
 * import { clientSecretPost, createTokenKeeper } from "tokenkeeper";
 *
 * createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientAuth: clientSecretPost("my-secret") });
 * ```
 */
export function clientSecretPost(clientSecret: string): ClientAuthentication {
  assertSecret(clientSecret, "clientSecretPost");
  return define("client_secret_post", oauth.ClientSecretPost(clientSecret), [clientSecret]);
}

/**
 * `client_secret_basic`: HTTP Basic with the client id and secret each percent-encoded first, as
 * RFC 6749 §2.3.1 requires (a space as `%20`, so servers that only percent-decode agree).
 *
 * @param clientSecret The client secret.
 * @returns The client authentication.
 * @throws {TypeError} When the secret is empty.
 * @example HTTP Basic
 * ```ts
 * import { clientSecretBasic, createTokenKeeper } from "tokenkeeper";
 *
 * createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientAuth: clientSecretBasic("my-secret") });
 * ```
 */
export function clientSecretBasic(clientSecret: string): ClientAuthentication {
  assertSecret(clientSecret, "clientSecretBasic");
  return define("client_secret_basic", (_as, client, _body, headers) => {
    headers.set("authorization", `Basic ${basicCredential(client.client_id, clientSecret)}`);
  }, [clientSecret]);
}

/** @internal The base64 Basic credential `clientSecretBasic()` sends for a client id and secret. */
export function basicCredential(clientId: string, clientSecret: string): string {
  return btoa(`${basicEncode(clientId)}:${basicEncode(clientSecret)}`);
}

function withAudience(options: ClientAssertionOptions | undefined): oauth.ModifyAssertionOptions {
  const audience = options?.audience;
  return {
    [oauth.modifyAssertion]: (_header, payload) => {
      // A fresh jti/iat/exp is made by oauth4webapi for every request; only aud is ours.
      if (audience !== undefined) payload.aud = audience;
    },
  };
}

/**
 * `private_key_jwt` (RFC 7523): a fresh signed assertion for every token request.
 *
 * A keeper with a shared `store` is told apart from keepers of other keys by the public key's JWK
 * thumbprint (RFC 7638), so give the key pair, `{ key, publicKey }`, or an extractable private
 * key; a keeper with a store and only a non-extractable private key is refused.
 *
 * @param privateKey An asymmetric private `CryptoKey`, a `CryptoKeyPair`, or `{ key, kid, publicKey }`.
 * @param options The assertion audience.
 * @returns The client authentication.
 * @throws {TypeError} When the key is not a private key, or `publicKey` not an extractable public key.
 * @example A signed assertion, the endpoint discovered from the issuer
 * ```ts
 * import { createTokenKeeper, discover, privateKeyJwt } from "tokenkeeper";
 *
 * const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * createTokenKeeper({ tokenEndpoint: discover("https://as.example"), clientId: "my-client", clientAuth: privateKeyJwt({ key: privateKey, kid: "k1", publicKey }) });
 * ```
 */
export function privateKeyJwt(
  privateKey: CryptoKey | CryptoKeyPair | PrivateKeyWithId,
  options?: ClientAssertionOptions,
): ClientAuthentication {
  const given: Partial<PrivateKeyWithId> = "privateKey" in privateKey ? { key: privateKey.privateKey, publicKey: privateKey.publicKey } : "key" in privateKey ? privateKey : { key: privateKey };
  const { key, kid, publicKey } = given;
  if (typeof key !== "object" || key === null || key.type !== "private") {
    throw new TypeError("privateKeyJwt: the key must be a private CryptoKey");
  }
  if (publicKey !== undefined && (publicKey?.type !== "public" || !publicKey.extractable)) {
    throw new TypeError("privateKeyJwt: publicKey must be the key pair's public CryptoKey, extractable");
  }
  const auth = define("private_key_jwt", oauth.PrivateKeyJwt(kid === undefined ? { key } : { key, kid }, withAudience(options)));
  return withCredential(auth, { privateKey: key, publicKey });
}

/**
 * `client_secret_jwt` (RFC 7523): an HMAC-SHA-256 assertion made from the client secret.
 *
 * @param clientSecret The client secret.
 * @param options The assertion audience.
 * @returns The client authentication.
 * @throws {TypeError} When the secret is empty.
 * @example An HMAC assertion
 * ```ts
 * import { clientSecretJwt, createTokenKeeper } from "tokenkeeper";
 *
 * createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientAuth: clientSecretJwt("my-secret") });
 * ```
 */
export function clientSecretJwt(clientSecret: string, options?: ClientAssertionOptions): ClientAuthentication {
  assertSecret(clientSecret, "clientSecretJwt");
  return define("client_secret_jwt", oauth.ClientSecretJwt(clientSecret, withAudience(options)), [clientSecret]);
}

/** @internal The oauth4webapi function behind a {@link ClientAuthentication}, given the request's redactor. */
export function authFunctionOf(value: ClientAuthentication): InternalClientAuth {
  return value[authFunction];
}

/** @internal The secret values a {@link ClientAuthentication} sends, for redaction. */
export function secretsOf(value: ClientAuthentication): readonly string[] {
  return secretsByAuth.get(value) ?? [];
}

/** @internal Whether `value` was made by one of this module's builders. */
export function isClientAuthentication(value: unknown): value is ClientAuthentication {
  return typeof value === "object" && value !== null && typeof (value as ClientAuthentication)[authFunction] === "function";
}
