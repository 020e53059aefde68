import type { TokenKeeperErrorCode } from "./errors.ts";

/** Fields every {@link TokenKeeperEvent} carries. */
export interface TokenKeeperEventBase {
  /** A short hash naming the cache entry (endpoint, client, auth method, scope, resource…). */
  readonly key: string;
  /** The keeper's `name` option, when set. */
  readonly name?: string;
}

/**
 * What a keeper reports through `onEvent`. Tokens appear only as `tokenHash`, an 8-hex-digit
 * hash; secrets never appear. A token request opens with `token_request_started` and closes with
 * `token_fetched`, `token_served` from the store, or `token_request_failed`, all with the same
 * `request` number (unique in the process), so a tracing span can wrap it.
 */
export type TokenKeeperEvent =
  | (TokenKeeperEventBase & {
    /** A token request (with its retries) starts. */
    readonly type: "token_request_started";
    /** This token request's number; its retries and its outcome carry it too. */
    readonly request: number;
    /** Whether a token was already held (a refresh), rather than a first request. */
    readonly refresh: boolean;
    /** Whether callers are served the held token meanwhile (a soft-window refresh). */
    readonly background: boolean;
  })
  | (TokenKeeperEventBase & {
    /** A token was obtained from the token endpoint. */
    readonly type: "token_fetched";
    readonly request: number | undefined;
    readonly tokenHash: string;
    readonly durationMs: number;
    readonly expiresAt: number;
    readonly attempts: number;
  })
  | (TokenKeeperEventBase & {
    /** A token request failed (all its attempts); callers keep a still-valid token if there is one. */
    readonly type: "token_request_failed";
    readonly request: number;
    /** The error code (`OAUTH_ERROR`, `NETWORK_ERROR`, …). */
    readonly code: TokenKeeperErrorCode;
    /** The OAuth `error` code, for `OAUTH_ERROR`. */
    readonly error: string | undefined;
    readonly status: number | undefined;
    /** Whether a token was held when it started. */
    readonly refresh: boolean;
    /** Whether a still-valid token keeps being served. */
    readonly servingStale: boolean;
  })
  | (TokenKeeperEventBase & {
    /** A caller was served a cached token; from the store, it closes token request `request`. */
    readonly type: "token_served";
    readonly request?: number;
    readonly tokenHash: string;
    readonly source: "memory" | "store";
  })
  | (TokenKeeperEventBase & {
    /** A token request attempt failed and will be retried after `delayMs`. */
    readonly type: "retry_scheduled";
    readonly request: number | undefined;
    readonly attempt: number;
    readonly delayMs: number;
    readonly code: TokenKeeperErrorCode;
    readonly error: string | undefined;
    readonly status: number | undefined;
  })
  | (TokenKeeperEventBase & {
    /** Repeated failures: no token request is sent until `until`. */
    readonly type: "cooldown";
    readonly until: number;
    readonly failures: number;
  })
  | (TokenKeeperEventBase & {
    /** A cached token was dropped (by `invalidate()` or a `401 invalid_token`). */
    readonly type: "token_invalidated";
    readonly tokenHash: string | undefined;
  })
  | (TokenKeeperEventBase & {
    /**
     * `keeper.fetch()` got a 401 for a token fetched because of a 401: the API rejects new tokens
     * too. Until `until` (epoch milliseconds, the keeper's clock), 401 responses for this token go
     * back to the caller without another token request.
     */
    readonly type: "token_rejected_again";
    readonly tokenHash: string;
    readonly until: number;
  })
  | (TokenKeeperEventBase & {
    /** The shared store failed; the keeper carried on with memory. */
    readonly type: "store_error";
    readonly operation: "get" | "set" | "delete" | "lock" | "release";
    readonly message: string;
  })
  | (TokenKeeperEventBase & {
    /** Another instance holds the refresh lock; this one waited for its token. */
    readonly type: "store_lock_wait";
    readonly waitedMs: number;
  })
  | (TokenKeeperEventBase & {
    /**
     * This keeper deleted the fleet's shared token from the store, so no instance picks it up
     * again; every instance holding it in memory keeps using it until it drops it too.
     */
    readonly type: "store_token_deleted";
    /** The deleted token's hash; `undefined` when the stored value could not be read. */
    readonly tokenHash: string | undefined;
    /**
     * Why: `"invalidated"`, the keeper invalidated this very token (`invalidate(token)`, or a
     * `401 invalid_token` through `keeper.fetch()`); `"cleared"`, `invalidate()` while the keeper
     * held no token for the key deleted whatever the store held.
     */
    readonly reason: "invalidated" | "cleared";
  });

/** Sends one event; `undefined` when nobody listens, so no event is built. */
export type Emit = ((event: TokenKeeperEvent) => void) | undefined;

/**
 * Wraps a listener so that it can never fail a call or crash a process: a throw is swallowed, a
 * returned promise's rejection is handled, and `name` labels every event. `log` (the
 * `TOKENKEEPER_DEBUG` listener) sees every event too.
 */
export function createEmitter(onEvent: ((event: TokenKeeperEvent) => unknown) | undefined, name: string | undefined, log?: (event: TokenKeeperEvent) => void): Emit {
  if (onEvent === undefined && log === undefined) return undefined;
  return (event) => {
    try {
      if (name !== undefined && event.name === undefined) event = { ...event, name };
      log?.(event);
      const returned = onEvent?.(event);
      if (typeof (returned as PromiseLike<unknown> | undefined)?.then === "function") (returned as Promise<unknown>).then(undefined, () => {});
    } catch {
      // A listener's failure is not the caller's.
    }
  };
}

/**
 * A short, non-reversible hash of a token for events and logs (32-bit FNV-1a, 8 hex digits).
 *
 * @param value The token.
 * @returns 8 hex digits.
 */
export function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
