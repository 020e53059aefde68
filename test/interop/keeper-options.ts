// The one place that turns a server, a client and a fetch into keeper options, so a change in how
// the public API spells the custom fetch or the loopback http opt-in touches only this file.
import { type ClientAuthentication, discover, type FetchLike, type TokenKeeperOptions } from "../../mod.ts";
import type { InteropServer } from "./server.ts";

/** Who the keeper is and what it asks for. */
export interface KeeperClient {
  readonly clientId: string;
  readonly clientAuth: ClientAuthentication;
  readonly scope?: string;
}

/**
 * Keeper options for `server`: its token endpoint or issuer, its resource origin as `baseUrl`, the
 * given fetch, and http allowed only when the server is plain http on loopback.
 *
 * @param server The server under test.
 * @param client The client id, authentication and scope.
 * @param fetch The fetch the keeper uses for everything (usually a recorder's).
 * @returns Options for `createTokenKeeper`.
 */
export function keeperOptions(server: InteropServer, client: KeeperClient, fetch: FetchLike): TokenKeeperOptions {
  return {
    tokenEndpoint: "issuer" in server.where ? discover(server.where.issuer) : server.where.tokenEndpoint,
    clientId: client.clientId,
    clientAuth: client.clientAuth,
    ...(client.scope === undefined ? {} : { scope: client.scope }),
    baseUrl: server.origin,
    fetch,
  };
}
