/**
 * The keeper: where the data path is wired. Options are resolved once; a cache entry per scope and
 * resource set holds its token and its flight; tokens come from the token endpoint through the
 * requester, or from a shared store in front of it; `keeper.fetch()` puts them on API calls.
 *
 * @module
 */
import type { GetTokenOptions, TokenKeeper, TokenKeeperOptions, TokenProvider } from "./lib/api.ts";
import { TokenCache } from "./lib/cache.ts";
import type { CacheEntry } from "./lib/entry.ts";
import { TokenKeeperError } from "./lib/errors.ts";
import { authorizedFetch } from "./lib/fetch.ts";
import { type Config, parseResource, parseScope, resolveOptions } from "./lib/options.ts";
import { Requester } from "./lib/requester.ts";
import type { AccessToken } from "./lib/token.ts";

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
 *   tokenEndpoint: "https://auth.example.com/oauth2/token",
 *   clientId: "my-client",
 *   clientSecret: "my-secret",
 *   baseUrl: "https://api.example.com",
 * });
 * const res = await api.fetch("/v2/some/resource");
 * ```
 */
export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  return new Keeper(resolveOptions(options));
}

/**
 * Creates a token provider: a keeper without `fetch`, for code that puts the token on requests
 * itself (an SDK's auth hook, a gRPC metadata callback). Everything else is the keeper's: the same
 * options, cache, refresh, single flight and errors. A bundle that uses only this carries none of
 * `keeper.fetch()`'s code.
 *
 * @param options Where the token endpoint is, who the client is, and how it authenticates.
 * @returns The provider.
 * @throws {TypeError} On a missing, unknown or malformed option, or in a browser without
 *   `dangerouslyAllowBrowser`.
 * @throws {RangeError} On a duration out of range.
 * @example A token for an SDK that takes one
 * ```ts
 * import { createTokenProvider } from "tokenkeeper";
 *
 * const tokens = createTokenProvider({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret" });
 * const headers = { authorization: `Bearer ${(await tokens.getToken()).accessToken}` };
 * ```
 */
export function createTokenProvider(options: TokenKeeperOptions): TokenProvider {
  return new Provider(resolveOptions(options));
}

/** A provider's cache, for `Keeper` to build its `fetch` on: no property or getter shows it. */
let cacheOf: (provider: Provider) => TokenCache;

class Provider implements TokenProvider {
  readonly #cache: TokenCache;

  static {
    cacheOf = (provider) => provider.#cache;
  }

  constructor(config: Config) {
    const requester = new Requester(config);
    // Without a shared store, the requester is the token source itself.
    this.#cache = new TokenCache(config, config.store ? config.store(config, requester) : requester);
  }

  getToken(options?: GetTokenOptions): Promise<AccessToken> {
    const cache = this.#cache;
    if (cache.closed) return Promise.reject(cache.closed);
    if (options === undefined) return cache.main.get(false, undefined);
    let entry: CacheEntry = cache.main;
    if (options.scope !== undefined || options.resource !== undefined) {
      try {
        entry = cache.entry(
          options.scope === undefined ? cache.config.scope : parseScope(options.scope, "getToken() scope"),
          options.resource === undefined ? cache.config.resource : parseResource(options.resource, "getToken() resource"),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const token = entry.get(options.forceRefresh === true, options.signal, options.waitUntil);
    if (entry !== cache.main) token.then(undefined, () => cache.release(entry));
    return token;
  }

  invalidate(accessToken?: string): Promise<void> {
    return this.#cache.invalidate(accessToken);
  }

  close(): Promise<void> {
    this.#cache.close(this.#cache.closed ?? new TokenKeeperError("CLOSED", "token keeper is closed"));
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

class Keeper extends Provider implements TokenKeeper {
  #fetch: TokenKeeper["fetch"] | undefined;

  /** Made on first use: a keeper whose `fetch` is never used holds none of its state. */
  get fetch(): TokenKeeper["fetch"] {
    return (this.#fetch ??= authorizedFetch(cacheOf(this)));
  }
}
