/**
 * Client authentication as the core runs it: the `ClientAuth` every builder makes (its secrets in
 * private fields), `client_secret_post` (what `clientSecret` alone means, so the core's own), and
 * the RFC 6749 §2.3.1 Basic credential.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import type { Redactor } from "./redact.ts";
import type { ClientAuthentication, CryptoKey } from "./types.ts";

/**
 * How a client authentication adds its credential to a token request: oauth4webapi's `ClientAuth`,
 * also given the authentication's secrets, the request's redactor (so that a caller's own
 * function can have what it writes redacted) and the keeper's clock (an assertion's own expiry).
 */
export type Authenticate = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  body: URLSearchParams,
  headers: Headers,
  secrets: readonly string[],
  redactor: Redactor,
  now: () => number,
) => void | Promise<void>;

/**
 * What tells a credential apart in a shared store's key when its secrets do not (it sends none): a
 * private key with its public key, or an id (given by the caller, or found on first use).
 */
export type CredentialHandle =
  | { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey | undefined }
  | { readonly id: string | (() => Promise<string>) };

// The class takes the public interface's brand (a type only) by declaration merging.
// deno-lint-ignore no-empty-interface
export interface ClientAuth extends ClientAuthentication {}

/**
 * A {@link ClientAuthentication} as the core runs it. The secrets and the key live in private
 * fields, so no inspection, serialisation or spread of the value shows them; the functions that
 * run one are shared, so a keeper holds no closure of its own for it.
 */
export class ClientAuth {
  readonly method: string;
  readonly #authenticate: Authenticate;
  readonly #secrets: readonly string[];
  readonly #credential: CredentialHandle | undefined;

  /**
   * @param method The `token_endpoint_auth_method` name.
   * @param authenticate What adds the credential to a request.
   * @param secrets The secret values it sends, redacted from every error.
   * @param credential What tells it apart in a shared store when `secrets` do not.
   */
  constructor(method: string, authenticate: Authenticate, secrets: readonly string[] = [], credential?: CredentialHandle) {
    this.method = method;
    this.#authenticate = authenticate;
    this.#secrets = secrets;
    this.#credential = credential;
    Object.freeze(this);
  }

  // Methods, not getters: an inspector that calls getters (util.inspect with `getters`) calls no method.

  /** The secret values it sends, for redaction and for a shared store's credential fingerprint. */
  secrets(): readonly string[] {
    return this.#secrets;
  }

  /** What tells the credential apart in a shared store when its secrets do not. */
  credential(): CredentialHandle | undefined {
    return this.#credential;
  }

  /** Adds the credential to one token request. */
  authenticate(as: oauth.AuthorizationServer, client: oauth.Client, body: URLSearchParams, headers: Headers, redactor: Redactor, now: () => number): void | Promise<void> {
    return this.#authenticate(as, client, body, headers, this.#secrets, redactor, now);
  }
}

/** Whether `value` was made by one of this library's client authentication builders. */
export function isClientAuthentication(value: unknown): value is ClientAuth {
  return value instanceof ClientAuth;
}

/** @throws {TypeError} Naming `name`, when `secret` is not a non-empty string. */
export function assertSecret(secret: unknown, name: string): asserts secret is string {
  if (typeof secret !== "string" || secret.length === 0) throw new TypeError(`${name}: the client secret must be a non-empty string`);
}

const post: Authenticate = (as, client, body, headers, [secret]) => oauth.ClientSecretPost(secret!)(as, client, body, headers);

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
  return new ClientAuth("client_secret_post", post, [clientSecret]);
}

/**
 * RFC 6749 §2.3.1 encoding of a Basic credential part, written so that a form decoder (Appendix B)
 * and a plain percent decoder (Authlib, many others) both recover the original: everything outside
 * the unreserved set is percent-encoded, a space included (`%20`, never `+`).
 */
function basicEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The base64 Basic credential `clientSecretBasic()` sends for a client id and secret. */
export function basicCredential(clientId: string, clientSecret: string): string {
  return btoa(`${basicEncode(clientId)}:${basicEncode(clientSecret)}`);
}
