import { sleep } from "./timers.ts";
import type { Token } from "./token.ts";

/** Starts a heartbeat that calls `beat` now and then; returns what stops it. */
export type Heartbeat = (beat: () => void) => () => void;

/** How often a flight's owner beats on Cloudflare Workers. */
const heartbeatMs = 50;
/** Waiter sleeps without a beat after which the owner counts as gone: four beats missed. */
const silentLimitMs = 4 * heartbeatMs;
/** A waiter's first sleep; the sleeps double up to {@link maxPollMs}. */
const firstPollMs = 2;
/** A waiter's longest sleep: at most this long between a token's arrival and a waiter seeing it. */
const maxPollMs = 16;

// workerd binds I/O to the incoming request that started it, and cancels it when that request
// ends: awaiting it from another request can hang forever. There a flight beats, with timers of
// the request that owns it, so that waiters in other requests can tell when that request is gone.
let requestBoundIo = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === "Cloudflare-Workers";

/** Beats every {@link heartbeatMs} with the timers of the incoming request that calls it. */
const timerHeartbeat: Heartbeat = (beat) => {
  let timer: ReturnType<typeof setTimeout>;
  const next = () => {
    beat();
    timer = setTimeout(next, heartbeatMs);
  };
  timer = setTimeout(next, heartbeatMs);
  return () => clearTimeout(timer);
};

type Outcome = { readonly token: Token } | { readonly error: unknown };

/**
 * One token request in flight, and all of its state: its promise, its abort controller, its outcome,
 * whether its entry has let go of it, and, for waiters in other incoming requests on Cloudflare
 * Workers, its owner's heartbeat. Those waiters read that state with their own timers instead of
 * awaiting the promise. Its cache entry holds it, starts it, and lets go of it; nothing else does.
 */
export class Flight {
  /** The token request, published to the entry when it resolves. */
  readonly promise: Promise<Token>;
  /** Until it settles: nothing is left to abort then, and a signal holds listeners' tables. */
  #controller: AbortController | undefined;
  #outcome: Outcome | undefined;
  /**
   * How its entry let go of it: `abandoned`, waiters stopped waiting (its owner is gone), though a
   * token it brings is still published; `void`, invalidated or closed, so its token never is.
   */
  #letGo: "abandoned" | "void" | undefined;
  #beats = 0;
  readonly #beating: boolean;

  /**
   * Starts the request.
   *
   * @param run Sends the request under the flight's signal; what it resolves to is the published token.
   * @param heartbeat How the owner beats while the request is under way (`null`: not at all). By
   *   default with timers where I/O is bound to incoming requests (Cloudflare Workers), and not at
   *   all elsewhere.
   * @param controller Its abort controller (a test seam: one whose signal throws, as workerd's does
   *   for another request).
   */
  constructor(run: (signal: AbortSignal) => Promise<Token>, heartbeat: Heartbeat | null = requestBoundIo ? timerHeartbeat : null, controller: AbortController = new AbortController()) {
    this.#controller = controller;
    this.promise = run(controller.signal);
    this.#beating = heartbeat !== null;
    const stop = heartbeat?.(() => void this.#beats++);
    const settle = (outcome: Outcome) => {
      this.#outcome = outcome;
      this.#controller = undefined;
      stop?.();
    };
    this.promise.then((token) => settle({ token }), (error: unknown) => settle({ error }));
  }

  /** Whether it is still in flight for its entry: not settled, and not let go of. */
  get live(): boolean {
    return this.#outcome === undefined && this.#letGo === undefined;
  }

  /** Whether it was invalidated or closed: its token is never published. */
  get void(): boolean {
    return this.#letGo === "void";
  }

  /** Its waiters stop waiting (its owner is gone); a token it still brings counts. */
  abandon(): void {
    this.#letGo ??= "abandoned";
  }

  /** Its token is never published, and its waiters stop waiting; with `reason`, the request is aborted. */
  cancel(reason?: unknown): void {
    this.#letGo = "void";
    if (reason === undefined) return;
    try {
      this.#controller?.abort(reason);
    } catch {
      // workerd: a request started by another incoming request cannot be aborted from here.
    }
  }

  /**
   * Whether the promise may be awaited here. workerd binds I/O objects to the incoming request
   * that made them, and awaiting another request's fetch can hang forever (jose #355, #509);
   * touching the flight's signal throws there. Everywhere else this is always true.
   */
  joinable(): boolean {
    try {
      // A settled flight has let go of its controller; its entry never asks then, as it is not live.
      return this.#controller === undefined || this.#controller.signal.aborted !== undefined;
    } catch {
      requestBoundIo = true;
      return false;
    }
  }

  /**
   * Waits for this flight from another incoming request, with that request's own timers: never
   * touching the promise or the signal. Resolves to the token, rejects with the request's error,
   * or resolves to `undefined` when the flight is no longer worth waiting for: its entry let go of
   * it, its owner's heartbeat stopped (the request that started it ended, and workerd cancelled
   * its I/O), or `boundMs` passed. The caller then takes over.
   *
   * @param signal The caller's signal: aborting it stops the wait.
   * @param boundMs The longest wait, whatever the heartbeat says.
   * @param pause How to wait between looks.
   */
  async wait(signal: AbortSignal | undefined, boundMs: number, pause: (ms: number, signal?: AbortSignal) => Promise<void> = sleep): Promise<Token | undefined> {
    let beats = this.#beats;
    let silentMs = 0;
    let waitedMs = 0;
    let delayMs = firstPollMs;
    for (;;) {
      await pause(delayMs, signal);
      waitedMs += delayMs;
      const outcome = this.#outcome;
      if (outcome !== undefined) {
        if ("token" in outcome) return outcome.token;
        throw outcome.error;
      }
      if (this.#letGo !== undefined || waitedMs >= boundMs) return undefined;
      if (this.#beating) {
        silentMs = this.#beats === beats ? silentMs + delayMs : 0;
        beats = this.#beats;
        if (silentMs >= silentLimitMs) return undefined;
      }
      delayMs = Math.min(delayMs * 2, maxPollMs);
    }
  }
}
