export { createTokenKeeper } from "./src/keeper.ts";
export type { AccessToken, FetchLike, GetTokenOptions, RetryOptions, TokenKeeper, TokenKeeperOptions } from "./src/types.ts";
export {
  clientSecretBasic,
  clientSecretJwt,
  clientSecretPost,
  customClientAuth,
  privateKeyJwt,
} from "./src/client-auth.ts";
export type {
  AuthorizationServerLike,
  ClientAssertionOptions,
  ClientAuthentication,
  ClientAuthFunction,
  ClientLike,
  PrivateKeyWithId,
} from "./src/client-auth.ts";
export { isTokenKeeperError, TokenEndpointError, TokenKeeperError } from "./src/errors.ts";
export type { TokenEndpointErrorOptions, TokenKeeperErrorCode, TokenKeeperErrorOptions } from "./src/errors.ts";
export type { TokenKeeperEvent, TokenKeeperEventBase } from "./src/events.ts";
export type { TokenStore, TokenStoreLock } from "./src/store.ts";
export { allowInsecureRequests, clock, customFetch } from "./src/symbols.ts";
export type { Clock } from "./src/symbols.ts";
export { cardlytics } from "./src/presets.ts";
export type { CardlyticsOptions } from "./src/presets.ts";
