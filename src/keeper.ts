import * as oauth from "oauth4webapi";
import { authorizedFetch } from "./authorized-fetch.ts";
import { secretsOf } from "./client-auth.ts";
import { CacheEntry, type EntryHost, type TokenSource } from "./cache-entry.ts";
import { startDeadline, untilAborted } from "./deadline.ts";
import { discover } from "./discovery.ts";
import { TokenKeeperError } from "./errors.ts";
import { shortHash, type TokenKeeperEvent } from "./events.ts";
import { type Config, parseResource, parseScope, resolveOptions } from "./options.ts";
import { isRetryable, retryDelayMs, sleep } from "./retry.ts";
import { jwkThumbprint } from "./dpop.ts";
import { Redactor } from "./redact.ts";
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
  /** Entries for per-call scopes and resources, least recently used first; the default one is apart. */
  readonly #entries = new Map<string, CacheEntry>();
  readonly #defaultEntry: CacheEntry;
  /** Controllers of token requests under way, aborted by close(). */
  readonly #flights = new Set<AbortController>();
  #closed = false;
  readonly #host: EntryHost;
  readonly #client: oauth.Client;
  readonly #dpop: oauth.DPoPHandle | undefined;
  readonly #storeLayer: StoreLayer | undefined;
  /** The client secret in every spelling, for every error this keeper raises. */
  readonly #redactor = new Redactor();
  #server: Promise<oauth.AuthorizationServer> | undefined;
  /** The DPoP public key's thumbprint, part of the shared-store key. */
  readonly #dpopThumbprint: Promise<string | undefined>;
  readonly fetch: TokenKeeper["fetch"];

  constructor(config: Config) {
    this.#config = config;
    this.#client = { client_id: config.clientId };
    for (const secret of secretsOf(config.auth)) this.#redactor.add(secret);
    this.#dpop = config.dpop && oauth.DPoP(this.#client, config.dpop);
    const onEvent = config.onEvent;
    this.#host = {
      clock: config.clock,
      lifetime: config,
      retry: config.retry,
      random: Math.random,
      emit: onEvent && ((event: TokenKeeperEvent) => {
        try {
          const returned: unknown = onEvent(event);
          // An async listener's rejection must not become an unhandled rejection either.
          if (typeof (returned as PromiseLike<unknown> | undefined)?.then === "function") (returned as Promise<unknown>).then(undefined, () => {});
        } catch {
          // A listener's failure must not fail a token call.
        }
      }),
      flightController: () => this.#flightController(),
      obtain: (entry, signal) => this.#obtain(entry, signal),
      background: (promise) => {
        try {
          config.waitUntil?.(promise);
        } catch {
          // A host that refuses background work must not stop a valid token from being served.
        }
      },
    };
    this.#storeLayer = config.store && createStoreLayer({
      store: config.store,
      encryptionKey: config.storeEncryptionKey,
      now: () => config.clock.now(),
      emit: this.#host.emit ?? (() => {}),
      // A dead lock holder blocks the fleet at most this long; a live one finishes well before.
      lockTtlMs: Math.ceil(Math.max(10_000, config.timeoutMs * 2)),
    });
    this.#dpopThumbprint = config.dpop ? jwkThumbprint(config.dpop.publicKey) : Promise.resolve(undefined);
    this.#dpopThumbprint.catch(() => {});
    this.#defaultEntry = this.#newEntry(this.#keyOf(config.scope, config.resource), config.scope, config.resource);
    this.fetch = authorizedFetch(config, {
      getToken: (signal) => this.getToken(signal ? { signal } : undefined),
      invalidate: (token) => this.invalidate(token),
      dpop: this.#dpop,
    });
  }

  getToken(options?: GetTokenOptions): Promise<AccessToken> {
    if (this.#closed) return Promise.reject(closedError());
    if (options === undefined) return this.#defaultEntry.get(false, undefined);
    if (options.scope === undefined && options.resource === undefined) return this.#defaultEntry.get(options.forceRefresh === true, options.signal);
    let entry: CacheEntry;
    try {
      entry = this.#entryFor(
        options.scope === undefined ? this.#config.scope : parseScope(options.scope, "getToken() scope"),
        options.resource === undefined ? this.#config.resource : parseResource(options.resource, "getToken() resource"),
      );
    } catch (error) {
      return Promise.reject(error);
    }
    const token = entry.get(options.forceRefresh === true, options.signal);
    if (entry !== this.#defaultEntry) {
      // A per-call entry whose request failed and that holds no token is not kept.
      token.then(undefined, () => {
        if (entry.idle() && this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
      });
    }
    return token;
  }

  async invalidate(accessToken?: string): Promise<void> {
    const removals: Promise<void>[] = [];
    for (const entry of [this.#defaultEntry, ...this.#entries.values()]) {
      const held = entry.accessToken;
      if (entry.invalidate(accessToken) && this.#storeLayer) {
        removals.push(this.#storeKeyOf(entry).then((key) => this.#storeLayer!.remove(key, entry.eventKey, accessToken ?? held)));
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

  /**
   * The cache key: everything that changes which token the server issues or who may present it —
   * endpoint, client, auth method, scope set, resource set, every token parameter and the token
   * type. The shared-store key adds the DPoP key's thumbprint.
   */
  #keyOf(scope: readonly string[], resource: readonly string[]): string {
    const config = this.#config;
    return JSON.stringify([
      (config.tokenEndpoint ?? config.issuer)!.href,
      config.clientId,
      config.auth.method,
      [...scope].sort(),
      [...resource].sort(),
      [...config.tokenParameters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      config.dpop ? "dpop" : "bearer",
    ]);
  }

  #newEntry(key: string, scope: readonly string[], resource: readonly string[]): CacheEntry {
    return new CacheEntry(key, scope, resource, this.#host);
  }

  /** The entry for a per-call scope or resource set: at most `maxCacheEntries`, least recently used evicted. */
  #entryFor(scope: readonly string[], resource: readonly string[]): CacheEntry {
    const key = this.#keyOf(scope, resource);
    if (key === this.#defaultEntry.key) return this.#defaultEntry;
    let entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry;
    }
    // Idle entries (expired or failed, nothing in flight) at the old end go first, then the oldest.
    for (const [oldKey, old] of this.#entries) {
      if (!old.idle()) break;
      this.#entries.delete(oldKey);
    }
    while (this.#entries.size >= this.#config.maxCacheEntries) this.#entries.delete(this.#entries.keys().next().value!);
    entry = this.#newEntry(key, scope, resource);
    this.#entries.set(key, entry);
    return entry;
  }

  /** The shared-store key of an entry: its cache key and the DPoP key's thumbprint. */
  async #storeKeyOf(entry: CacheEntry): Promise<string> {
    return JSON.stringify([entry.key, await this.#dpopThumbprint]);
  }

  async #obtain(entry: CacheEntry, signal: AbortSignal): Promise<{ record: TokenRecord; source: TokenSource }> {
    try {
      const fetchToken = () => this.#requestWithRetries(entry, signal);
      if (this.#storeLayer === undefined) return { record: await fetchToken(), source: "network" };
      return await this.#storeLayer.obtain(await this.#storeKeyOf(entry), entry.eventKey, (record) => entry.acceptsShared(record), fetchToken, signal);
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
    return { config: this.#config, as: await this.#authorizationServer(signal), client: this.#client, dpop: this.#dpop, redactor: this.#redactor };
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

