/**
 * The keeper's API as its users see it: the options of `createTokenKeeper()`, the options of one
 * `getToken()` call, the keeper and the token provider, and the option keys that are symbols.
 *
 * @module
 */
import type { TokenKeeperEvent } from "./events.ts";
import type { AccessToken } from "./token.ts";
import type { AuthorizationGrant, ClientAuthentication, DPoPKey, FetchLike, SharedTokenStore, TokenEndpointDiscovery } from "./types.ts";

/**
 * Option key for the clock tokenkeeper reads: an object whose `now()` returns milliseconds since
 * the epoch. Meant for tests; the default is `Date.now`.
 *
 * @example A clock a test moves by hand
 * ```ts
 * import { clock, createTokenKeeper } from "tokenkeeper";
 *
 * let now = Date.parse("2026-01-01T00:00:00Z");
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret", [clock]: { now: () => now } });
 * now += 60_000; // a minute passes for the keeper
 * ```
 */
export const clock: unique symbol = Symbol("tokenkeeper.clock");

/** A clock: milliseconds since the epoch. */
export interface Clock {
  /** The current time in milliseconds since the epoch. */
  now(): number;
}

/**
 * Retry policy for the token endpoint. Backoff delays are waited in real time (`setTimeout`);
 * lifetimes, windows and the cooldown are read from the `clock`.
 */
export interface RetryOptions {
  /**
   * Attempts per token request, the first one included.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Base of the exponential backoff; each delay is drawn from `[0, base * 2^n]` (full jitter).
   * @default 250
   */
  baseDelayMs?: number;
  /**
   * Longest single delay, `Retry-After` included.
   * @default 10000
   */
  maxDelayMs?: number;
  /**
   * Consecutive failed token requests after which the keeper cools down: no request is sent, and
   * callers get a `COOLDOWN` error, for a delay that doubles from `cooldownMs` up to 60 s.
   * @default 3
   */
  cooldownAfterFailures?: number;
  /**
   * Deadline for a token request with all its retries; no retry starts past it.
   * @default 30000
   */
  totalTimeoutMs?: number;
  /**
   * First cooldown delay.
   * @default 1000
   */
  cooldownMs?: number;
}

/**
 * Options of {@link createTokenKeeper}. Give a `tokenEndpoint`, a `clientId`, and one client
 * authentication (`clientSecret` or `clientAuth`). Unknown option names are refused, with a
 * suggestion.
 */
export interface TokenKeeperOptions {
  /**
   * The token endpoint URL (its query string is kept byte for byte), or {@link discover}`(issuer)`
   * to find it in the issuer's metadata (RFC 8414, then OpenID Connect Discovery).
   */
  tokenEndpoint: string | URL | TokenEndpointDiscovery;
  /** The client identifier; with a `grant`, the issuer of its assertions (a Google service account's `client_email`). */
  clientId: string;
  /** A client secret sent as `client_secret_post`, the form most APIs document. */
  clientSecret?: string;
  /**
   * Client authentication other than `client_secret_post`: {@link clientSecretBasic},
   * {@link privateKeyJwt}, {@link clientSecretJwt}, or any oauth4webapi `ClientAuth` wrapped by
   * {@link customClientAuth}.
   */
  clientAuth?: ClientAuthentication;
  /**
   * A grant other than client credentials: the JWT bearer grant (RFC 7523 §2.1) of
   * {@link jwtBearer}, or {@link googleServiceAccount}'s. It authenticates with its own assertion,
   * whose issuer is `clientId`: give neither `clientSecret` nor `clientAuth`.
   * @default the client credentials grant (RFC 6749 §4.4)
   */
  grant?: AuthorizationGrant;
  /** Scope to request: a space-separated string or a list. @default no scope parameter */
  scope?: string | readonly string[];
  /** Resource indicators (RFC 8707): absolute URIs without fragment. @default none */
  resource?: string | URL | readonly (string | URL)[];
  /**
   * Extra token request parameters, such as Auth0's `audience`. They can never set `grant_type`,
   * `client_id`, `client_secret`, `client_assertion`, `client_assertion_type`, `scope` or
   * `resource`, and they are part of the cache key.
   * @default none
   */
  tokenParameters?: Record<string, string>;
  /**
   * Where relative URLs given to `keeper.fetch()` go; the token may be sent to its origin. Its path
   * is a prefix, as in axios and openapi-fetch: with `"https://api.example.com/v2"`,
   * `fetch("/accounts")` and `fetch("accounts")` both call `https://api.example.com/v2/accounts`,
   * and `fetch("?page=2")` calls `https://api.example.com/v2?page=2`. An absolute URL (or a
   * `Request`) is used as it is, on its own path, and must be on an allowed origin. A relative path
   * that leaves the prefix (`../admin`) is a `TypeError`; give an absolute URL for a path outside
   * it. The origin, not the prefix, bounds where the token goes. No query: each call gives its own.
   * @default none: `keeper.fetch()` needs absolute URLs on `allowedOrigins`
   * @example A versioned API
   * ```ts
   * import { createTokenKeeper } from "tokenkeeper";
   *
   * const api = createTokenKeeper({ tokenEndpoint: "https://auth.example.com/oauth2/token", clientId: "my-client", clientSecret: "my-secret", baseUrl: "https://api.example.com/v2" });
   * await api.fetch("/accounts"); // https://api.example.com/v2/accounts
   * ```
   */
  baseUrl?: string | URL;
  /** More origins `keeper.fetch()` may send the token to (https, or http on loopback). @default none */
  allowedOrigins?: readonly (string | URL)[];
  /**
   * Deadline for one token request attempt, headers and body together.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Soft window: within this time of expiry a caller still gets the cached token at once while one
   * background refresh runs. Scaled down to a quarter of short lifetimes, plus up to 25 % jitter.
   * @default 300000
   */
  refreshWindowMs?: number;
  /**
   * Hard window: within this time of expiry a token is not used any more; callers wait for a new
   * one. Scaled down to a tenth of short lifetimes.
   * @default 30000
   */
  expiryMarginMs?: number;
  /**
   * Lifetime assumed when the response has no `expires_in`.
   * @default 300000
   */
  defaultLifetimeMs?: number;
  /**
   * Upper bound on any token lifetime.
   * @default 86400000
   */
  maxLifetimeMs?: number;
  /**
   * Most cache entries kept for per-call `scope`/`resource` sets (the configured set is always
   * kept); the least recently used goes first. An entry whose token request failed and that holds
   * no token is dropped at once, and idle expired entries are dropped as new ones come.
   * @default 1000
   */
  maxCacheEntries?: number;
  /** Retry policy of token requests, or `false` for one attempt. @default see {@link RetryOptions} */
  retry?: RetryOptions | false;
  /**
   * A shared store for a fleet: a store adapter (`tokenkeeper/stores/redis`, `…/deno-kv`,
   * `…/workers-kv`, `…/durable-object`, `…/memory`) or {@link sharedStore} over your own. A token
   * is shared only between keepers that would be issued the same token and may present it: same
   * endpoint, client, auth method, credential (a fingerprint of the secret, the public key's
   * thumbprint, or `customClientAuth`'s `credentialId`), scope set, resource set, token parameters,
   * token type and DPoP key (its thumbprint). `customClientAuth()` without `credentialId`, and
   * `privateKeyJwt()` with neither a public key nor an extractable private key, are refused with a
   * store (a `TypeError`).
   * @default memory only
   */
  store?: SharedTokenStore;
  /**
   * Receives observability events; never sees a secret or a token. A listener that throws or
   * rejects fails nothing.
   * @default none
   */
  onEvent?: (event: TokenKeeperEvent) => unknown;
  /** A label put on every event of this keeper (`event.name`). @default none */
  name?: string;
  /**
   * Keeps a token request alive past the response of the request that started it, on Cloudflare
   * Workers (`waitUntil` from `cloudflare:workers`, or `ctx.waitUntil`): a background refresh
   * completes, and so does a token request other incoming requests are waiting for. Per call,
   * `getToken({ waitUntil })` does the same.
   * @default none: a token request ends with its request, and a waiting request sends the next one
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** DPoP-bound tokens (RFC 9449): {@link dpop}`(keyPair)`. @default Bearer tokens only */
  dpop?: DPoPKey;
  /**
   * The `fetch` used for the token endpoint, discovery and `keeper.fetch()`: a proxy-aware fetch,
   * an mTLS-capable one, or an in-process server in tests.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /**
   * Allows creating a keeper where `window` and `document` exist. A client secret in a browser
   * ships to every user; set only for a trusted, non-public environment.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Plain-http hosts (`"keycloak:8080"`) the client secret and tokens may be sent to: a development
   * identity provider in docker compose. Never for a server reached over a real network. Loopback
   * hosts (`localhost`, `127.0.0.0/8`, `[::1]`) need no entry: plain http to them is allowed, for a
   * local fake, a sidecar or a service-mesh agent.
   * @default none: https, or http on loopback
   */
  dangerouslyAllowHttp?: readonly string[];
  /** See {@link clock}. */
  [clock]?: Clock;
}

/** Options of one `getToken()` call. */
export interface GetTokenOptions {
  /** Aborts this caller's wait only; a shared request goes on for the other callers. */
  signal?: AbortSignal;
  /** Scope for this call, instead of the configured one. */
  scope?: string | readonly string[];
  /** Resource indicators for this call, instead of the configured ones. */
  resource?: string | URL | readonly (string | URL)[];
  /**
   * Hands a token request this call starts (a background refresh too) to the platform, as
   * `ctx.waitUntil` on Workers.
   * @default the keeper's `waitUntil`
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * Skips the cached token and waits for a new one. If that request fails, the call rejects: it
   * never falls back to the token it was asked to replace.
   */
  forceRefresh?: boolean;
}


/** The token manager returned by {@link createTokenProvider}: tokens only, no `fetch`. */
export interface TokenProvider extends AsyncDisposable {
  /**
   * Resolves to a valid access token: cached, refreshed in the background, or requested.
   * @throws {TokenKeeperError} When no valid token can be had.
   */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** Drops cached tokens; only the one whose value is `accessToken`, when given. */
  invalidate(accessToken?: string): Promise<void>;
  /** Aborts in-flight work and refuses further calls. */
  close(): Promise<void>;
}

/** The token manager returned by {@link createTokenKeeper}: a {@link TokenProvider} with `fetch`. */
export interface TokenKeeper extends TokenProvider {
  /**
   * Same shape as global `fetch`, with the token attached for allowed origins (`baseUrl`,
   * `allowedOrigins`, over https or loopback http); redirects are followed only within the same
   * origin.
   *
   * A 401 about the token (a Bearer or DPoP challenge saying `invalid_token` or no error, or no
   * challenge) drops the token, gets a new one and retries once; a 401 challenging only other
   * schemes is returned as is. Concurrent 401s for one token cost one token request. If the new
   * token is rejected too within 30 s, 401s for it are returned without a token request for 30 s
   * (a `token_rejected_again` event says so), however many calls succeed with it elsewhere.
   *
   * A body is sent again (after such a 401, or on a same-origin 307/308) only when it is a string,
   * `ArrayBuffer`/view, `Blob`, `URLSearchParams`, `FormData`, absent, or a `Request`'s own body of
   * at most 1 MiB (read ahead before the first send and kept). Any other body (a stream or async
   * iterable given in `init`, a longer `Request` body) is sent at most once and never copied: a 401
   * then rejects with `BODY_NOT_REPLAYABLE`, and a 307/308 is returned.
   *
   * @param input A URL (a relative one goes under `baseUrl`, its path a prefix) or a `Request`.
   * @param init As for global `fetch`.
   * @returns The response.
   * @throws {TokenKeeperError} `ORIGIN_NOT_ALLOWED`, `BODY_NOT_REPLAYABLE`, and token errors.
   * @throws {TypeError} For an input that is neither a URL nor a Request, or a relative path that
   *   leaves the path of `baseUrl`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}
