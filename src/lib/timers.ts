import { TokenKeeperError } from "./errors.ts";

/** A signal that aborts when its parent does or when its time is up, whichever comes first. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Clears the timer; call when the work is done, so it never outlives it. */
  clear(): void;
}

/**
 * Starts a {@link Deadline}: after `timeoutMs` its signal aborts with a retryable `TIMEOUT` error
 * saying what timed out.
 */
export function startDeadline(parent: AbortSignal, timeoutMs: number, what: string): Deadline {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    controller.abort(new TokenKeeperError("TIMEOUT", `${what} timed out after ${timeoutMs} ms`, { retryable: true }));
  }, timeoutMs);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener("abort", onParentAbort);
    },
  };
}

/**
 * Settles with `promise`, or rejects with `reason()` (by default the signal's reason) as soon as
 * `signal` aborts. Only this waiter gives up; the work behind `promise` goes on for the others, and
 * a deadline holds even when a custom `fetch` ignores its signal.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, reason: () => unknown = () => signal!.reason): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (error) => (signal.removeEventListener("abort", onAbort), reject(error)),
    );
  });
}

/** Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts (clearing the timer). */
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

/**
 * How long a dead lock holder blocks the fleet, and a dead flight the callers of other incoming
 * requests (Workers): twice a token request's deadline, 10 s at least; a live one finishes well before.
 */
export function waitBoundMs(timeoutMs: number): number {
  return Math.ceil(Math.max(10_000, timeoutMs * 2));
}
