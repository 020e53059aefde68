import type { TokenRecord } from "./token.ts";

/** The timing options that turn a token lifetime into deadlines. */
export interface LifetimePolicy {
  readonly refreshWindowMs: number;
  readonly expiryMarginMs: number;
  readonly defaultLifetimeMs: number;
  readonly maxLifetimeMs: number;
}

/** When a cached token stops being served at once (`softAt`) and stops being served at all (`hardAt`). */
export interface RefreshDeadlines {
  readonly softAt: number;
  readonly hardAt: number;
}

/**
 * The lifetime in ms of a token from the wire `expires_in` (seconds, already validated as a
 * non-negative number or absent): the default when absent, capped by `maxLifetimeMs`.
 */
export function lifetimeMs(expiresIn: number | undefined, policy: LifetimePolicy): number {
  if (expiresIn === undefined) return policy.defaultLifetimeMs;
  return Math.min(Math.floor(expiresIn * 1000), policy.maxLifetimeMs);
}

/**
 * The soft and hard deadlines of a token. Both windows shrink for short lifetimes (a tenth of
 * the lifetime for the hard window, a quarter for the soft one) and the soft one gets up to 25 %
 * random extension, so a fleet does not refresh in lockstep.
 *
 * @param record The token, with its issue and expiry times.
 * @param policy The timing options.
 * @param random A number in [0, 1).
 */
export function refreshDeadlines(record: TokenRecord, policy: LifetimePolicy, random: number): RefreshDeadlines {
  const lifetime = Math.max(0, record.expiresAt - record.issuedAt);
  const hard = Math.min(policy.expiryMarginMs, lifetime * 0.1);
  const soft = Math.max(hard, Math.min(policy.refreshWindowMs, lifetime * 0.25) * (1 + 0.25 * random));
  return { softAt: record.expiresAt - soft, hardAt: record.expiresAt - hard };
}
