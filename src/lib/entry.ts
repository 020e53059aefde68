import { oauthErrorOf, TokenKeeperError } from "./errors.ts";
import { type Emit, shortHash, type TokenKeeperEvent } from "./events.ts";
import { Flight } from "./flight.ts";
import { type LifetimePolicy, refreshDeadlines } from "./lifetime.ts";
import { cooldownMs, type RetryPolicy } from "./retry.ts";
import type { Clock } from "./symbols.ts";
import { untilAborted } from "./timers.ts";
import { Token } from "./token.ts";
import type { Obtained, TokenQuery, TokenSource } from "./source.ts";

/** What a {@link CacheEntry} is given: its policies, where tokens come from, and where events go. */
export interface EntryDeps {
  readonly clock: Clock;
  readonly lifetime: LifetimePolicy;
  readonly retry: RetryPolicy;
  readonly emit: Emit;
  readonly source: TokenSource;
  /** The keeper's `waitUntil`, which keeps background work alive on Workers. */
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** The longest a caller waits for a token request started by another incoming request (Workers). */
  readonly flightWaitMs: number;
}

type WaitUntil = ((promise: Promise<unknown>) => void) | undefined;

/** Numbers token requests for events, unique in this process (or isolate). */
let requests = 0;

/** The longest pause between background refresh attempts after failures. */
const maxBackgroundPauseMs = 30_000;

/**
 * One cache key's token and its state machine: fresh (served at once), soft window (served at
 * once, one background refresh), hard window or expired (callers wait for one shared request).
 * It owns its flight and the flight's abort controller.
 */
export class CacheEntry {
  readonly query: TokenQuery;
  readonly #deps: EntryDeps;
  readonly #clock: Clock;
  #token: Token | undefined;
  #settled: Promise<Token> | undefined;
  #served: TokenKeeperEvent | undefined;
  #softAt = -Infinity;
  #hardAt = -Infinity;
  #flight: Flight | undefined;
  #generation = 0;
  #rejected: string | undefined;
  #failures = 0;
  #lastError: unknown;
  #cooldownUntil = -Infinity;
  #backgroundPauseUntil = -Infinity;
  #closed: TokenKeeperError | undefined;

  constructor(key: string, scope: readonly string[], resource: readonly string[], deps: EntryDeps) {
    this.query = { key, eventKey: shortHash(key), scope, resource };
    this.#deps = deps;
    this.#clock = deps.clock;
  }

  /** The hot path: a clock read and a settled promise when the token is fresh. */
  get(forceRefresh: boolean, signal: AbortSignal | undefined, waitUntil?: WaitUntil): Promise<Token> {
    if (!forceRefresh && this.#clock.now() < this.#softAt) {
      if (this.#served !== undefined) this.#deps.emit!(this.#served);
      return this.#settled!;
    }
    return this.#slow(forceRefresh, signal, waitUntil);
  }

  /** The cached token's value, if any. */
  get accessToken(): string | undefined {
    return this.#token?.accessToken;
  }

  /** Whether nothing here is worth keeping: no request in flight and no token still valid. */
  idle(): boolean {
    return this.#flight === undefined && (this.#token === undefined || this.#clock.now() >= this.#token.expiresAt);
  }

  /**
   * Drops the cached token (only when it is `accessToken`, if given), with its shared copy, and
   * makes sure a refresh that started before never publishes its result.
   *
   * @returns Whether anything was dropped.
   */
  async invalidate(accessToken?: string): Promise<boolean> {
    if (accessToken !== undefined && this.#token?.accessToken !== accessToken) return false;
    const dropped = this.#token;
    this.#rejected = dropped?.accessToken ?? this.#rejected;
    this.#clear();
    this.#generation++;
    this.#flight?.drop();
    this.#flight = undefined;
    this.#deps.emit?.({ type: "token_invalidated", key: this.query.eventKey, tokenHash: dropped && shortHash(dropped.accessToken) });
    await this.#deps.source.discard(this.query, accessToken ?? dropped?.accessToken);
    return true;
  }

  /** Aborts the request in flight and refuses further requests. */
  close(reason: TokenKeeperError): void {
    this.#closed = reason;
    try {
      this.#flight?.controller.abort(reason);
    } catch {
      // workerd: a request started by another incoming request cannot be aborted from here.
    }
    this.#flight?.drop();
    this.#flight = undefined;
  }

  #slow(forceRefresh: boolean, signal: AbortSignal | undefined, waitUntil: WaitUntil): Promise<Token> {
    const now = this.#clock.now();
    if (!forceRefresh && this.#token !== undefined && now < this.#hardAt) {
      this.#refreshInBackground(now, waitUntil);
      if (this.#served !== undefined) this.#deps.emit!(this.#served);
      return this.#settled!;
    }
    const aborted = () => new TokenKeeperError("ABORTED", "getToken() aborted: the caller's signal fired", { cause: signal!.reason instanceof Error ? signal!.reason : undefined });
    // A forced refresh never answers with the token it was asked to replace: its failure is final.
    const joined = this.#join(now, signal, waitUntil);
    const token = forceRefresh ? joined : joined.catch((error) => this.#stillValid(error));
    return untilAborted(token, signal, aborted);
  }

  /** Serve while valid: a failed refresh is seen by callers only once no valid token is left. */
  #stillValid(error: unknown): Token {
    const token = this.#token;
    if (token !== undefined && this.#clock.now() < token.expiresAt) return token;
    throw error;
  }

  #refreshInBackground(now: number, waitUntil: WaitUntil): void {
    // Any flight will do here, joinable or not: soft-window callers are served the cached token
    // and need not wait, so one refresh at a time is enough (on workerd too).
    if (this.#flight !== undefined || now < this.#cooldownUntil || now < this.#backgroundPauseUntil || this.#closed) return;
    this.#start(now, true, waitUntil).catch(() => {});
  }

  #join(now: number, signal: AbortSignal | undefined, waitUntil: WaitUntil): Promise<Token> {
    if (this.#closed) return Promise.reject(this.#closed);
    const flight = this.#flight;
    if (flight !== undefined) return flight.joinable() ? flight.promise : this.#waitFor(flight, signal, waitUntil);
    if (now < this.#cooldownUntil) {
      return Promise.reject(new TokenKeeperError("COOLDOWN", `token request not sent: ${this.#failures} consecutive failures, cooling down for ${Math.ceil(this.#cooldownUntil - now)} ms`, { cause: this.#lastError }));
    }
    return this.#start(now, false, waitUntil);
  }

  /**
   * Waits, with this incoming request's own timers, for a flight another incoming request started
   * (Workers); when that one is gone, the first waiter to notice starts the next flight.
   */
  async #waitFor(flight: Flight, signal: AbortSignal | undefined, waitUntil: WaitUntil): Promise<Token> {
    const held = this.#token;
    const token = await flight.wait(signal, this.#deps.flightWaitMs);
    if (token !== undefined) return token;
    if (this.#flight === flight) {
      flight.drop();
      this.#flight = undefined;
    }
    // Another request may have taken over and finished meanwhile: its token serves this caller too
    // (never the token held when this caller began to wait, which a forced refresh replaces).
    const now = this.#clock.now();
    if (this.#token !== undefined && this.#token !== held && now < this.#hardAt) return this.#token;
    return this.#join(now, signal, waitUntil);
  }

  #start(now: number, background: boolean, waitUntil: WaitUntil): Promise<Token> {
    const generation = this.#generation;
    const controller = new AbortController();
    const refresh = this.#token !== undefined;
    const request = ++requests;
    this.#deps.emit?.({ type: "token_request_started", key: this.query.eventKey, request, refresh, background });
    const exclude = [this.#token?.accessToken, this.#rejected].filter((t): t is string => t !== undefined);
    const query = this.#deps.emit ? { ...this.query, request } : this.query;
    const promise: Promise<Token> = this.#deps.source.obtain(query, exclude, controller.signal).then(
      (obtained) => {
        if (this.#flight?.promise === promise) this.#flight = undefined;
        // An invalidation happened while this request was under way: its token is not published.
        if (generation !== this.#generation) return this.#join(this.#clock.now(), undefined, undefined);
        this.#failures = 0;
        this.#backgroundPauseUntil = -Infinity;
        return this.#publish(obtained, request);
      },
      (error: unknown) => {
        if (this.#flight?.promise === promise) this.#flight = undefined;
        this.#recordFailure(error, now, refresh, request, generation === this.#generation);
        throw error;
      },
    );
    const flight = new Flight(promise, controller);
    this.#flight = flight;
    // Kept alive past the response of the request that started it (Workers), the flight goes on
    // serving the requests that wait for it, and a background refresh completes.
    const settled = promise.then(() => {}, () => {});
    for (const hand of [this.#deps.waitUntil, waitUntil]) {
      try {
        hand?.(settled);
      } catch {
        // A host that refuses background work must not stop a token from being served.
      }
    }
    return promise;
  }

  #publish({ record, source }: Obtained, request: number): Token {
    const token = new Token(record);
    if (record.expiresAt <= record.issuedAt) {
      // expires_in 0: this caller uses it once; nothing is cached.
      this.#clear();
      return token;
    }
    const { softAt, hardAt } = refreshDeadlines(record, this.#deps.lifetime, Math.random());
    this.#token = token;
    this.#settled = Promise.resolve(token);
    this.#softAt = softAt;
    this.#hardAt = hardAt;
    const emit = this.#deps.emit;
    if (emit) {
      const served = { type: "token_served", key: this.query.eventKey, tokenHash: shortHash(record.accessToken) } as const;
      this.#served = Object.freeze({ ...served, source: "memory" });
      if (source === "store") emit({ ...served, source, request });
    }
    return token;
  }

  /** Reports a failed token request; it counts towards the cooldown unless invalidated meanwhile. */
  #recordFailure(error: unknown, startedAt: number, refresh: boolean, request: number, counts: boolean): void {
    const now = this.#clock.now();
    const emit = this.#deps.emit;
    if (emit) {
      const failure = error instanceof TokenKeeperError ? error : undefined;
      emit({
        type: "token_request_failed",
        key: this.query.eventKey,
        request,
        code: failure?.code ?? "NETWORK_ERROR",
        error: oauthErrorOf(error),
        status: failure?.status,
        refresh,
        servingStale: this.#token !== undefined && now < this.#token.expiresAt,
      });
    }
    if (!counts) return;
    this.#failures++;
    this.#lastError = error;
    this.#backgroundPauseUntil = now + Math.min(maxBackgroundPauseMs, 1_000 * 2 ** (this.#failures - 1));
    const cooldown = cooldownMs(this.#failures, this.#deps.retry);
    if (cooldown > 0) {
      this.#cooldownUntil = Math.max(startedAt, now) + cooldown;
      emit?.({ type: "cooldown", key: this.query.eventKey, until: this.#cooldownUntil, failures: this.#failures });
    }
  }

  #clear(): void {
    this.#token = undefined;
    this.#settled = undefined;
    this.#served = undefined;
    this.#softAt = -Infinity;
    this.#hardAt = -Infinity;
  }
}
