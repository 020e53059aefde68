import { sleep } from "./timers.ts";

/** Resolved retry policy of token requests (see `RetryOptions`). */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly cooldownAfterFailures: number;
  readonly cooldownMs: number;
  readonly totalTimeoutMs: number;
}

/** The longest cooldown, however many failures came before. */
const maxCooldownMs = 60_000;

/**
 * Calls `attempt` until it resolves, waiting between attempts as `delayMs` says; stops and
 * rethrows when `delayMs` returns `undefined`, after `maxAttempts`, or when `signal` aborts (the
 * wait then rejects with its reason). A small generic helper, after `@std/async/retry`.
 *
 * @param attempt The work, given its 1-based attempt number.
 * @param options How many attempts, the delay before each retry, and a signal.
 * @returns What the first successful attempt resolves to.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<T>,
  options: { maxAttempts: number; delayMs: (n: number, error: unknown) => number | undefined; signal?: AbortSignal },
): Promise<T> {
  for (let n = 1;; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = n < options.maxAttempts && !options.signal?.aborted ? options.delayMs(n, error) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, options.signal);
    }
  }
}

/**
 * The delay before retry number `n` (1 for the first retry): the server's `Retry-After` when given,
 * else full-jitter exponential backoff; capped by `maxDelayMs` either way.
 */
export function backoffMs(n: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return Math.floor(random * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)));
}

/** The cooldown after `failures` consecutive failed token requests, or 0 for none yet. */
export function cooldownMs(failures: number, policy: RetryPolicy): number {
  if (failures < policy.cooldownAfterFailures) return 0;
  return Math.min(maxCooldownMs, policy.cooldownMs * 2 ** (failures - policy.cooldownAfterFailures));
}

/** Whether an HTTP status is worth retrying: 408, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in ms: delay-seconds or an HTTP-date, relative to `now`.
 * `undefined` when absent or malformed.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
