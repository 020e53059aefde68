/**
 * tokenkeeper: OAuth 2.0 client-credentials tokens for server-side code on Node, Deno, Bun and
 * Cloudflare Workers. `createTokenKeeper()` gets a token, keeps it fresh, and puts it on the API
 * calls made through `keeper.fetch()` (`createTokenProvider()` is the same without `fetch`, for a
 * bundle that needs only `getToken()`). Optional features come with the value that turns them on
 * (`discover()`, `dpop()`, `privateKeyJwt()`, `jwtBearer()`, a store adapter), so a bundle carries
 * only what a keeper uses.
 *
 * @example The quick start
 * ```ts
 * import { createTokenKeeper } from "tokenkeeper";
 *
 * const api = createTokenKeeper({
 *   tokenEndpoint: "https://api.example.com/oauth2/token",
 *   clientId: "my-client",
 *   clientSecret: "my-secret",
 *   baseUrl: "https://api.example.com",
 * });
 * const res = await api.fetch("/v2/some/resource");
 * ```
 *
 * @module
 */
export { createTokenKeeper, createTokenProvider } from "./src/keeper.ts";
export type { Clock, GetTokenOptions, RetryOptions, TokenKeeper, TokenKeeperOptions, TokenProvider } from "./src/lib/api.ts";
export { clock } from "./src/lib/api.ts";
export type { AccessToken } from "./src/lib/token.ts";
export { clientSecretBasic, clientSecretJwt, clientSecretPost, privateKeyJwt } from "./src/client-auth.ts";
export type { ClientAssertionOptions, PrivateKeyWithId } from "./src/client-auth.ts";
export { certificateKey } from "./src/certificate.ts";
export type { CertificateAlgorithm, CertificateAndKey, CertificateJwk, CertificateKey, CertificateKeyOptions, CertificateThumbprint } from "./src/certificate.ts";
export { clientAssertion } from "./src/client-assertion.ts";
export type { AssertionSource } from "./src/client-assertion.ts";
export { customClientAuth } from "./src/custom-client-auth.ts";
export type { ClientAuthFunction, CustomClientAuthOptions } from "./src/custom-client-auth.ts";
export { discover } from "./src/discover.ts";
export type { DiscoverOptions } from "./src/discover.ts";
export { dpop } from "./src/dpop.ts";
export { jwtBearer } from "./src/jwt-bearer.ts";
export type { JwtBearerOptions } from "./src/jwt-bearer.ts";
export { googleServiceAccount } from "./src/google-service-account.ts";
export type { GoogleServiceAccountKeeperOptions, GoogleServiceAccountKey, GoogleServiceAccountOptions } from "./src/google-service-account.ts";
export { sharedStore } from "./src/shared-store.ts";
export type { SharedStoreOptions } from "./src/shared-store.ts";
export type {
  AuthorizationGrant,
  AuthorizationServerLike,
  ClientAuthentication,
  ClientLike,
  CryptoKey,
  CryptoKeyPair,
  DPoPKey,
  FetchLike,
  SharedTokenStore,
  TokenEndpointDiscovery,
  TokenStore,
  TokenStoreLock,
} from "./src/lib/types.ts";
export { isTokenEndpointError, isTokenKeeperError, TokenEndpointError, TokenKeeperError } from "./src/lib/errors.ts";
export type { TokenEndpointErrorOptions, TokenKeeperErrorCode, TokenKeeperErrorOptions } from "./src/lib/errors.ts";
export type { TokenKeeperEvent, TokenKeeperEventBase } from "./src/lib/events.ts";
