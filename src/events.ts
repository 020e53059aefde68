/** Fields every {@link TokenKeeperEvent} carries. */
export interface TokenKeeperEventBase {
  /** A short hash naming the cache entry (endpoint, client, auth method, scope, resource). */
  readonly key: string;
}

/**
 * What the keeper reports through `onEvent`. Tokens appear only as `tokenHash`, an 8-hex-digit
 * hash; secrets never appear.
 */
export type TokenKeeperEvent =
  | (TokenKeeperEventBase & {
    /** A token was obtained from the token endpoint. */
    readonly type: "token_fetched";
    readonly tokenHash: string;
    readonly durationMs: number;
    readonly expiresAt: number;
    readonly attempts: number;
  })
  | (TokenKeeperEventBase & {
    /** A caller was served a cached token. */
    readonly type: "token_served";
    readonly tokenHash: string;
    readonly source: "memory" | "store";
  })
  | (TokenKeeperEventBase & {
    /** A background refresh started inside the soft window. */
    readonly type: "refresh_started";
  })
  | (TokenKeeperEventBase & {
    /** A refresh failed; callers keep the still-valid token if there is one. */
    readonly type: "refresh_failed";
    readonly code: string;
    readonly status: number | undefined;
    readonly servingStale: boolean;
  })
  | (TokenKeeperEventBase & {
    /** A token request failed and will be retried after `delayMs`. */
    readonly type: "retry_scheduled";
    readonly attempt: number;
    readonly delayMs: number;
    readonly code: string;
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
    /** Another instance holds the refresh lock; this one waits for its token. */
    readonly type: "store_lock_wait";
    readonly waitedMs: number;
  });

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
