/**
 * tokenkeeper: OAuth 2.0 client-credentials tokens for server-side code on Node, Deno, Bun and
 * Cloudflare Workers. `createTokenKeeper()` gets a token, keeps it fresh, and puts it on the API
 * calls made through `keeper.fetch()`. Optional features come with the value that turns them on
 * (`discover()`, `dpop()`, `privateKeyJwt()`, a store adapter), so a bundle carries only what a
 * keeper uses.
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
export { createTokenKeeper } from "./src/keeper.ts";
export type { GetTokenOptions, RetryOptions, TokenKeeper, TokenKeeperOptions } from "./src/lib/api.ts";
export type { FetchLike } from "./src/lib/fetch-like.ts";
export type { AccessToken } from "./src/lib/token.ts";
export { clientSecretBasic, clientSecretJwt, clientSecretPost, privateKeyJwt } from "./src/client-auth.ts";
export { customClientAuth } from "./src/custom-client-auth.ts";
export type { CustomClientAuthOptions } from "./src/custom-client-auth.ts";
export type {
  AuthorizationServerLike,
  ClientAssertionOptions,
  ClientAuthentication,
  ClientAuthFunction,
  ClientLike,
  PrivateKeyWithId,
} from "./src/client-auth.ts";
export { discover } from "./src/discover.ts";
export type { TokenEndpointDiscovery } from "./src/discover.ts";
export { dpop } from "./src/dpop.ts";
export type { DPoPKey } from "./src/dpop.ts";
export { sharedStore } from "./src/shared-store.ts";
export type { SharedStoreOptions, SharedTokenStore } from "./src/shared-store.ts";
export type { TokenStore, TokenStoreLock } from "./src/lib/store.ts";
export { isTokenEndpointError, isTokenKeeperError, TokenEndpointError, TokenKeeperError } from "./src/lib/errors.ts";
export type { TokenEndpointErrorOptions, TokenKeeperErrorCode, TokenKeeperErrorOptions } from "./src/lib/errors.ts";
export type { TokenKeeperEvent, TokenKeeperEventBase } from "./src/lib/events.ts";
export { allowInsecureRequests, clock } from "./src/lib/symbols.ts";
export type { Clock } from "./src/lib/symbols.ts";
export type { CryptoKey, CryptoKeyPair } from "./src/lib/crypto-key.ts";
