import * as oauth from "oauth4webapi";
import { authorizedFetch } from "./authorized-fetch.ts";
import { CacheEntry, type EntryHost, type TokenSource } from "./cache-entry.ts";
import { startDeadline, untilAborted } from "./deadline.ts";
import { discover } from "./discovery.ts";
import { TokenKeeperError } from "./errors.ts";
import { shortHash, type TokenKeeperEvent } from "./events.ts";
import { type Config, parseResource, parseScope, resolveOptions } from "./options.ts";
import { isRetryable, retryDelayMs, sleep } from "./retry.ts";
import { isBrowser } from "./runtime.ts";
import { createStoreLayer, type StoreLayer } from "./store-layer.ts";
import type { TokenRecord } from "./token.ts";
import { requestToken, type TokenRequestContext } from "./token-request.ts";
import type { AccessToken, GetTokenOptions, TokenKeeper, TokenKeeperOptions } from "./types.ts";

/**
 * Creates a token keeper: it gets client-credentials access tokens, caches them per key, refreshes
 * them before they expire, and attaches them to API calls through its `fetch`.
 *
 * @param options Where the token endpoint is, who the client is, and how it authenticates.
 * @returns The keeper.
 * @throws {TypeError} On a missing or malformed option, or in a browser without `dangerouslyAllowBrowser`.
 * @throws {RangeError} On a duration out of range.
 * @example The Cardlytics-style quick start
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
  if (isBrowser() && options?.dangerouslyAllowBrowser !== true) {
    throw new TypeError("createTokenKeeper: refusing to run in a browser, where the client secret would ship to users (set dangerouslyAllowBrowser to override)");
  }
  return new Keeper(resolveOptions(options));
}

class Keeper implements TokenKeeper {
  readonly #config: Config;
  readonly #entries = new Map<string, CacheEntry>();
  readonly #defaultEntry: CacheEntry;
  /** Controllers of token requests under way, aborted by close(). */
  readonly #flights = new Set<AbortController>();
  #closed = false;
  readonly #host: EntryHost;
  readonly #client: oauth.Client;
  readonly #dpop: oauth.DPoPHandle | undefined;
  readonly #storeLayer: StoreLayer | undefined;
  #server: Promise<oauth.AuthorizationServer> | undefined;
  readonly fetch: TokenKeeper["fetch"];

  constructor(config: Config) {
    this.#config = config;
    this.#client = { client_id: config.clientId };
    this.#dpop = config.dpop && oauth.DPoP(this.#client, config.dpop);
    const onEvent = config.onEvent;
    this.#host = {
      clock: config.clock,
      lifetime: config,
      retry: config.retry,
      random: Math.random,
      emit: onEvent && ((event: TokenKeeperEvent) => {
        try {
          onEvent(event);
        } catch {
          // A listener's failure must not fail a token call.
        }
      }),
      flightController: () => this.#flightController(),
      obtain: (entry, signal) => this.#obtain(entry, signal),
      background: (promise) => config.waitUntil?.(promise),
    };
    this.#storeLayer = config.store && createStoreLayer({
      store: config.store,
      encryptionKey: config.storeEncryptionKey,
      now: () => config.clock.now(),
      emit: this.#host.emit ?? (() => {}),
      // A dead lock holder blocks the fleet at most this long; a live one finishes well before.
      lockTtlMs: Math.ceil(Math.max(10_000, config.timeoutMs * 2)),
    });
    this.#defaultEntry = this.#entry(config.scope, config.resource);
    this.fetch = authorizedFetch(config, {
      getToken: (signal) => this.getToken(signal ? { signal } : undefined),
      invalidate: (token) => this.invalidate(token),
      dpop: this.#dpop,
      eventKey: this.#defaultEntry.eventKey,
      emit: this.#host.emit,
    });
  }

  getToken(options?: GetTokenOptions): Promise<AccessToken> {
    if (this.#closed) return Promise.reject(closedError());
    if (options === undefined) return this.#defaultEntry.get(false, undefined);
    let entry = this.#defaultEntry;
    if (options.scope !== undefined || options.resource !== undefined) {
      try {
        entry = this.#entry(
          options.scope === undefined ? this.#config.scope : parseScope(options.scope, "getToken() scope"),
          options.resource === undefined ? this.#config.resource : parseResource(options.resource, "getToken() resource"),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return entry.get(options.forceRefresh === true, options.signal);
  }

  async invalidate(accessToken?: string): Promise<void> {
    const removals: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      const held = entry.accessToken;
      if (entry.invalidate(accessToken) && this.#storeLayer) {
        removals.push(this.#storeLayer.remove(entry.key, entry.eventKey, accessToken ?? held));
      }
    }
    await Promise.all(removals);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const error = closedError();
    for (const controller of this.#flights) {
      try {
        controller.abort(error);
      } catch {
        // workerd: a request started by another incoming request cannot be aborted from here.
      }
    }
    this.#flights.clear();
  }

  #flightController(): AbortController {
    const controller = new AbortController();
    if (this.#closed) controller.abort(closedError());
    this.#flights.add(controller);
    return controller;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** One cache entry per (endpoint, client, auth method, scope set, resource set). */
  #entry(scope: readonly string[], resource: readonly string[]): CacheEntry {
    const config = this.#config;
    const key = JSON.stringify([
      (config.tokenEndpoint ?? config.issuer)!.href,
      config.clientId,
      config.auth.method,
      [...scope].sort(),
      [...resource].sort(),
      config.dpop ? "dpop" : "bearer",
    ]);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = new CacheEntry(key, scope, resource, this.#host);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  async #obtain(entry: CacheEntry, signal: AbortSignal): Promise<{ record: TokenRecord; source: TokenSource }> {
    try {
      const fetchToken = () => this.#requestWithRetries(entry, signal);
      if (this.#storeLayer === undefined) return { record: await fetchToken(), source: "network" };
      return await this.#storeLayer.obtain(entry.key, entry.eventKey, (record) => entry.acceptsShared(record), fetchToken, signal);
    } finally {
      for (const controller of this.#flights) if (controller.signal === signal) this.#flights.delete(controller);
    }
  }

  /** Token request with bounded retries (network errors, 408, 429, 5xx) inside a total deadline. */
  async #requestWithRetries(entry: CacheEntry, signal: AbortSignal): Promise<TokenRecord> {
    const { clock, retry, timeoutMs } = this.#config;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
      const deadline = startDeadline(signal, timeoutMs);
      try {
        const context = await untilAborted(this.#context(deadline.signal), deadline.signal);
        const record = await untilAborted(requestToken(context, entry.scope, entry.resource, deadline.signal), deadline.signal);
        this.#host.emit?.({
          type: "token_fetched",
          key: entry.eventKey,
          tokenHash: shortHash(record.accessToken),
          durationMs: clock.now() - started,
          expiresAt: record.expiresAt,
          attempts: attempt,
        });
        return record;
      } catch (error) {
        if (!isRetryable(error) || attempt >= retry.maxAttempts || signal.aborted) throw error;
        const delayMs = retryDelayMs(attempt, retry, error.retryAfterMs, Math.random());
        if (clock.now() + delayMs - started > retry.totalTimeoutMs) throw error;
        this.#host.emit?.({ type: "retry_scheduled", key: entry.eventKey, attempt, delayMs, code: error.code, status: error.status });
        await sleep(delayMs, signal);
      } finally {
        deadline.clear();
      }
    }
  }

  async #context(signal: AbortSignal): Promise<TokenRequestContext> {
    return { config: this.#config, as: await this.#authorizationServer(signal), client: this.#client, dpop: this.#dpop };
  }

  #authorizationServer(signal: AbortSignal): Promise<oauth.AuthorizationServer> {
    const { tokenEndpoint, issuer, fetch, allowInsecure } = this.#config;
    if (tokenEndpoint !== undefined) {
      // A static endpoint: the assertion audience defaults to the endpoint URL.
      return Promise.resolve({ issuer: tokenEndpoint.href, token_endpoint: tokenEndpoint.href });
    }
    this.#server ??= discover(issuer!, fetch, allowInsecure, signal);
    this.#server.catch(() => (this.#server = undefined));
    return this.#server;
  }
}

function closedError(): TokenKeeperError {
  return new TokenKeeperError("CLOSED", "token keeper is closed");
}

