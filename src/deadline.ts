import { TokenKeeperError } from "./errors.ts";

/** A signal that aborts when `parent` does or when `timeoutMs` passes, whichever comes first. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether it was the timeout, not the parent, that fired. */
  timedOut(): boolean;
  /** Clears the timer; call when the work is done. */
  clear(): void;
}

/** Starts a {@link Deadline}. The timer is always cleared by `clear()`, so it never outlives the work. */
export function startDeadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new TokenKeeperError("TIMEOUT", `request timed out after ${timeoutMs} ms`, { retryable: true }));
  }, timeoutMs);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener("abort", onParentAbort);
    },
  };
}

/**
 * Settles with `promise`, or rejects with `ABORTED` as soon as `signal` aborts. Only this waiter
 * gives up; the shared work behind `promise` goes on for the others.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal === undefined ? promise : race(promise, signal, () =>
    new TokenKeeperError("ABORTED", "getToken() aborted: the caller's signal fired", {
      cause: signal.reason instanceof Error ? signal.reason : undefined,
    }));
}

/**
 * Settles with `promise`, or rejects with `signal.reason` once `signal` aborts: a deadline holds
 * even when a custom `fetch` ignores its signal.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return race(promise, signal, () => signal.reason);
}

function race<T>(promise: Promise<T>, signal: AbortSignal, reason: () => unknown): Promise<T> {
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
