import { TokenKeeperError } from "./errors.ts";
import type { RetryPolicy } from "./options.ts";

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

/** Whether an HTTP status is worth retrying: 408, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * The delay before retry number `attempt` (1 for the first retry): the server's `Retry-After`
 * when given, else full-jitter exponential backoff; capped by `maxDelayMs` either way.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return Math.floor(random * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

/** The cooldown after `failures` consecutive failed token requests, or 0 for none yet. */
export function cooldownDelayMs(failures: number, policy: RetryPolicy): number {
  if (failures < policy.cooldownAfterFailures) return 0;
  return Math.min(60_000, policy.cooldownMs * 2 ** (failures - policy.cooldownAfterFailures));
}

/**
 * Waits `ms` milliseconds, or rejects as soon as `signal` aborts. The timer is cleared on abort so
 * nothing outlives a closed keeper.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Whether an error from one token request attempt may succeed when sent again. */
export function isRetryable(error: unknown): error is TokenKeeperError {
  return error instanceof TokenKeeperError && error.retryable;
}
