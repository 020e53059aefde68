import { authorizedFetch } from "./lib/fetch.ts";
import type { CacheEntry } from "./lib/entry.ts";
import { TokenKeeperError } from "./lib/errors.ts";
import { resolveOptions, parseResource, parseScope } from "./lib/options.ts";
import { TokenCache } from "./lib/cache.ts";
import { createTokenRequester } from "./lib/requester.ts";
import { directSource } from "./lib/source.ts";
import type { AccessToken } from "./lib/token.ts";
import type { GetTokenOptions, TokenKeeper, TokenKeeperOptions } from "./lib/api.ts";

/**
 * Creates a token keeper: it gets client-credentials access tokens, caches them per key, refreshes
 * them before they expire, and attaches them to API calls through its `fetch`.
 *
 * @param options Where the token endpoint is, who the client is, and how it authenticates.
 * @returns The keeper.
 * @throws {TypeError} On a missing, unknown or malformed option, or in a browser without
 *   `dangerouslyAllowBrowser`.
 * @throws {RangeError} On a duration out of range.
 * @example The quick start
 * ```ts
 * import { createTokenKeeper } from "tokenkeeper";
 *
 * const api = createTokenKeeper({
 *   tokenEndpoint: "https://api.cardlytics.com/api/v1/idp/oauth2/token",
 *   clientId: "my-client",
 *   clientSecret: "my-secret",
 *   baseUrl: "https://api.cardlytics.com",
 * });
 * const res = await api.fetch("/v2/some/resource");
 * ```
 */
export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  const config = resolveOptions(options);
  const requester = createTokenRequester(config);
  // A dead lock holder blocks the fleet at most this long, and a dead flight the callers of other
  // incoming requests (Workers); a live one finishes well before.
  const waitBoundMs = Math.ceil(Math.max(10_000, config.timeoutMs * 2));
  const source = config.store
    ? config.store({
      now: () => config.clock.now(),
      emit: config.emit,
      lifetime: config,
      lockTtlMs: waitBoundMs,
      keyMaterial: async () => config.dpop?.thumbprint(),
      clientAuth: config.auth,
      requester,
    })
    : directSource(requester);
  const cache = new TokenCache(
    {
      endpoint: config.tokenEndpoint instanceof URL ? config.tokenEndpoint.href : `discover:${config.tokenEndpoint.issuer.href}`,
      clientId: config.clientId,
      authMethod: config.auth.method,
      tokenParameters: config.tokenParameters,
      tokenType: config.dpop ? "dpop" : "bearer",
    },
    config.scope,
    config.resource,
    config.maxCacheEntries,
    { clock: config.clock, lifetime: config, retry: config.retry, emit: config.emit, source, waitUntil: config.waitUntil, flightWaitMs: waitBoundMs },
  );
  return new Keeper(cache, config.scope, config.resource, (keeper) => authorizedFetch(config, keeper, cache.main.query.eventKey));
}

class Keeper implements TokenKeeper {
  readonly #cache: TokenCache;
  readonly #scope: readonly string[];
  readonly #resource: readonly string[];
  #closed: TokenKeeperError | undefined;
  readonly fetch: TokenKeeper["fetch"];

  constructor(cache: TokenCache, scope: readonly string[], resource: readonly string[], makeFetch: (keeper: TokenKeeper) => TokenKeeper["fetch"]) {
    this.#cache = cache;
    this.#scope = scope;
    this.#resource = resource;
    this.fetch = makeFetch(this);
  }

  getToken(options?: GetTokenOptions): Promise<AccessToken> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (options === undefined) return this.#cache.main.get(false, undefined);
    let entry: CacheEntry = this.#cache.main;
    if (options.scope !== undefined || options.resource !== undefined) {
      try {
        entry = this.#cache.entry(
          options.scope === undefined ? this.#scope : parseScope(options.scope, "getToken() scope"),
          options.resource === undefined ? this.#resource : parseResource(options.resource, "getToken() resource"),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const token = entry.get(options.forceRefresh === true, options.signal, options.waitUntil);
    if (entry !== this.#cache.main) token.then(undefined, () => this.#cache.release(entry));
    return token;
  }

  invalidate(accessToken?: string): Promise<void> {
    return this.#cache.invalidate(accessToken);
  }

  close(): Promise<void> {
    this.#closed ??= new TokenKeeperError("CLOSED", "token keeper is closed");
    this.#cache.close(this.#closed);
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
