/**
 * The client authentications of RFC 6749 §2.3 and RFC 7523 §2.2: the value of the keeper's
 * `clientAuth` option. `client_secret_post`, what `clientSecret` alone means, is the core's own.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import { assertSecret, type Authenticate, basicCredential, ClientAuth } from "./lib/auth.ts";
import type { ClientAuthentication, CryptoKey, CryptoKeyPair } from "./lib/types.ts";

export { clientSecretPost } from "./lib/auth.ts";

/**
 * A private key for `private_key_jwt`, with what the JOSE header says of it: a JWK key id, and the
 * thumbprints of its X.509 certificate (`certificateKey()` makes one from a certificate).
 */
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
  /**
   * The base64url SHA-256 thumbprint of the key's X.509 certificate (its DER), put in the header as
   * `x5t#S256` (RFC 7515 §4.1.8), with `typ: "JWT"`, as Microsoft Entra ID asks.
   * @default none
   */
  readonly "x5t#S256"?: string;
  /**
   * The base64url SHA-1 thumbprint of the certificate, put in the header as `x5t` (RFC 7515
   * §4.1.7), with `typ: "JWT"`, as Entra's older docs show it with RS256.
   * @default none
   */
  readonly x5t?: string;
}

/** Options of the JWT-based client authentications. */
export interface ClientAssertionOptions {
  /**
   * The assertion's `aud`. RFC 7523 wants the authorization server's issuer identifier.
   * @default the issuer when `issuer` is configured, else the token endpoint URL
   */
  audience?: string;
}

const basic: Authenticate = (_as, client, _body, headers, [secret]) => {
  headers.set("authorization", `Basic ${basicCredential(client.client_id, secret!)}`);
};

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
  return new ClientAuth("client_secret_basic", basic, [clientSecret]);
}

function withAudience(options: ClientAssertionOptions | undefined, header?: Record<string, string>): oauth.ModifyAssertionOptions {
  const audience = options?.audience;
  return {
    [oauth.modifyAssertion]: (jose, payload) => {
      // A fresh jti/iat/exp is made by oauth4webapi for every request; only aud is ours.
      if (audience !== undefined) payload.aud = audience;
      if (header !== undefined) Object.assign(jose, header);
    },
  };
}

/** The header members that name a key's certificate, checked: base64url thumbprints only. */
function certificateHeader(given: Partial<PrivateKeyWithId>): Record<string, string> | undefined {
  let header: Record<string, string> | undefined;
  for (const member of ["x5t#S256", "x5t"] as const) {
    const thumbprint = given[member];
    if (thumbprint === undefined) continue;
    if (typeof thumbprint !== "string" || !/^[A-Za-z0-9_-]+$/.test(thumbprint)) throw new TypeError(`privateKeyJwt: ${member} must be a base64url thumbprint`);
    (header ??= { typ: "JWT" })[member] = thumbprint;
  }
  return header;
}

/**
 * `private_key_jwt` (RFC 7523): a fresh signed assertion for every token request. With an X.509
 * certificate (`privateKeyJwt(await certificateKey(pem))`), the header names the certificate by its
 * thumbprint (`x5t#S256` or `x5t`), as Microsoft Entra ID asks.
 *
 * A keeper with a shared `store` is told apart from keepers of other keys by the public key's JWK
 * thumbprint (RFC 7638), so give the key pair, `{ key, publicKey }`, a certificate key, or an
 * extractable private key; a keeper with a store and only a non-extractable private key is refused.
 *
 * @param privateKey An asymmetric private `CryptoKey`, a `CryptoKeyPair`, `{ key, kid, publicKey }`,
 *   or a certificate's key from `certificateKey()`.
 * @param options The assertion audience.
 * @returns The client authentication.
 * @throws {TypeError} When the key is not a private key, `publicKey` not an extractable public key,
 *   or a thumbprint not base64url.
 * @example A signed assertion, the endpoint discovered from the issuer
 * ```ts
 * import { createTokenKeeper, discover, privateKeyJwt } from "tokenkeeper";
 *
 * const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * createTokenKeeper({ tokenEndpoint: discover("https://as.example"), clientId: "my-client", clientAuth: privateKeyJwt({ key: privateKey, kid: "k1", publicKey }) });
 * ```
 * @example Microsoft Entra ID with a certificate: PS256, `x5t#S256`, `aud` the token endpoint
 * ```ts
 * import { certificateKey, createTokenKeeper, privateKeyJwt } from "tokenkeeper";
 *
 * declare const pem: string; // the certificate and its PKCS#8 private key
 * createTokenKeeper({
 *   tokenEndpoint: "https://login.microsoftonline.com/my-tenant-id/oauth2/v2.0/token",
 *   clientId: "my-app-id",
 *   clientAuth: privateKeyJwt(await certificateKey(pem)),
 *   scope: "https://graph.microsoft.com/.default",
 * });
 * ```
 */
export function privateKeyJwt(
  privateKey: CryptoKey | CryptoKeyPair | PrivateKeyWithId,
  options?: ClientAssertionOptions,
): ClientAuthentication {
  const given: Partial<PrivateKeyWithId> = "privateKey" in privateKey ? { key: privateKey.privateKey, publicKey: privateKey.publicKey } : "key" in privateKey ? privateKey : { key: privateKey };
  const { key, kid, publicKey } = given;
  const header = certificateHeader(given);
  if (typeof key !== "object" || key === null || key.type !== "private") {
    throw new TypeError("privateKeyJwt: the key must be a private CryptoKey");
  }
  if (publicKey !== undefined && (publicKey?.type !== "public" || !publicKey.extractable)) {
    throw new TypeError("privateKeyJwt: publicKey must be the key pair's public CryptoKey, extractable");
  }
  const run = oauth.PrivateKeyJwt(kid === undefined ? { key } : { key, kid }, withAudience(options, header));
  return new ClientAuth("private_key_jwt", (as, client, body, headers) => run(as, client, body, headers), [], { privateKey: key, publicKey });
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
  const run = oauth.ClientSecretJwt(clientSecret, withAudience(options));
  return new ClientAuth("client_secret_jwt", (as, client, body, headers) => run(as, client, body, headers), [clientSecret]);
}
