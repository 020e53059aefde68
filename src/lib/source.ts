import type { TokenRecord } from "./token.ts";

/**
 * What one cache entry asks for: the key it is cached under and the scope and resources to request.
 * A cache entry is its own query; it adds `request` only when events are listened to.
 */
export interface TokenQuery {
  /** The cache key (see `TokenKeeperOptions.store` for what it covers). */
  readonly key: string;
  /** A short hash of `key`, for events. */
  readonly eventKey: string;
  readonly scope: readonly string[];
  readonly resource: readonly string[];
  /** Which token request this is, for the events that open, retry and close it. */
  readonly request?: number | undefined;
}

/** A token and where it came from. */
export interface Obtained {
  readonly record: TokenRecord;
  readonly source: "store" | "network";
}

/** Gets a new token from the token endpoint: one request, with its retries. */
export interface TokenRequester {
  request(query: TokenQuery, signal: AbortSignal): Promise<TokenRecord>;
}

/**
 * Where a cache entry gets tokens: the token endpoint (the requester is a source itself), or a
 * shared store in front of it. The path runs one way: cache entry → shared store (when given) →
 * token requester → token endpoint → oauth4webapi.
 */
export interface TokenSource {
  /**
   * A new token for `query`: never one of `exclude` (the token held now, the last one invalidated).
   */
  obtain(query: TokenQuery, exclude: readonly string[], signal: AbortSignal): Promise<Obtained>;
  /** Drops a shared copy of an invalidated token (only when it is `accessToken`, if given). */
  discard(query: TokenQuery, accessToken: string | undefined): Promise<void>;
}
