/**
 * A preset for the Cardlytics partner API: its base URL and token endpoint filled in, the client
 * secret sent as `client_secret_post`, as the API documents.
 *
 * @module
 */
import { createTokenKeeper } from "../keeper.ts";
import type { TokenKeeper, TokenKeeperOptions } from "../lib/api.ts";

/** Options of the {@link cardlytics} preset: the credentials, plus any keeper option to override. */
export type CardlyticsOptions = Omit<TokenKeeperOptions, "tokenEndpoint" | "clientAuth"> & {
  /** The client secret issued at onboarding; sent as `client_secret_post`, as the API documents. */
  clientSecret: string;
  /**
   * The API origin; the token endpoint is `/api/v1/idp/oauth2/token` on it.
   * @default "https://api.cardlytics.com"
   */
  baseUrl?: string | URL;
};

/** The Cardlytics API origin. */
const cardlyticsOrigin = "https://api.cardlytics.com";
/** The Cardlytics token path. */
const cardlyticsTokenPath = "/api/v1/idp/oauth2/token";

/**
 * A keeper for the Cardlytics partner API: base URL `https://api.cardlytics.com`, token endpoint
 * `/api/v1/idp/oauth2/token` on the same origin, `client_secret_post`.
 *
 * @param options The client id and secret (and any other keeper option).
 * @returns The keeper; `keeper.fetch("/v2/…")` calls the API with the token.
 * @throws {TypeError} On a missing or malformed option.
 * @example
 * ```ts
 * import { cardlytics } from "tokenkeeper/presets/cardlytics";
 *
 * const env = { CARDLYTICS_CLIENT_ID: "my-client", CARDLYTICS_CLIENT_SECRET: "my-secret" }; // your secrets
 * const api = cardlytics({ clientId: env.CARDLYTICS_CLIENT_ID, clientSecret: env.CARDLYTICS_CLIENT_SECRET });
 * const res = await api.fetch("/v2/some/resource");
 * ```
 */
export function cardlytics(options: CardlyticsOptions): TokenKeeper {
  const baseUrl = new URL(options.baseUrl ?? cardlyticsOrigin);
  return createTokenKeeper({ ...options, baseUrl, tokenEndpoint: new URL(cardlyticsTokenPath, baseUrl) });
}
