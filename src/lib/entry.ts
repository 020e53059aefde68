import type { Clock } from "./api.ts";
import { oauthErrorOf, TokenKeeperError } from "./errors.ts";
import { shortHash, type TokenKeeperEvent } from "./events.ts";
import { Flight } from "./flight.ts";
import type { Config } from "./options.ts";
import { cooldownMs } from "./retry.ts";
import type { Obtained, TokenQuery, TokenSource } from "./source.ts";
import { untilAborted } from "./timers.ts";
import { refreshDeadlines, Token } from "./token.ts";
import { waitBoundMs } from "./timers.ts";

/** What a {@link CacheEntry} is given by its keeper: its clock and options, and where tokens come from. */
export interface EntryContext {
  readonly clock: Clock;
  /** The policies, where events go (`emit`), and the keeper's `waitUntil` (Workers). */
  readonly config: Pick<Config, "emit" | "policy" | "waitUntil">;
  readonly source: TokenSource;
  /** The cache key of a scope and resource set. */
  keyOf(scope: readonly string[], resource: readonly string[]): string;
}

type WaitUntil = ((promise: Promise<unknown>) => void) | undefined;

/** Numbers token requests for events, unique in this process (or isolate). */
let requests = 0;

/** The longest pause between background refresh attempts after failures. */
const maxBackgroundPauseMs = 30_000;

/**
 * One cache key's token and its state machine: fresh (served at once), soft window (served at
 * once, one background refresh), hard window or expired (callers wait for one shared request).
 * It owns its flight: it alone starts one, holds it, and lets go of it; the flight keeps the rest
 * of its own state (outcome, abort controller, heartbeat). An entry is its own {@link TokenQuery}.
 */
export class CacheEntry implements TokenQuery {
  readonly scope: readonly string[];
  readonly resource: readonly string[];
  readonly #context: EntryContext;
  /** The keeper's clock, held here too: the hot path reads it with one load less. */
  readonly #clock: Clock;
  #key: string | undefined;
  #eventKey: string | undefined;
  #token: Token | undefined;
  #settled: Promise<Token> | undefined;
  #served: TokenKeeperEvent | undefined;
  #softAt = -Infinity;
  #hardAt = -Infinity;
  /** The token request under way, or the last one (see `Flight.live`). */
  #flight: Flight | undefined;
  /** The last token invalidated: a refresh never answers with it. */
  #rejected: string | undefined;
  #failures = 0;
  #lastError: unknown;
  // Zero, not -Infinity: a small integer needs no heap number, and epoch times are all above it.
  #cooldownUntil = 0;
  #backgroundPauseUntil = 0;
  #closed: TokenKeeperError | undefined;

  constructor(scope: readonly string[], resource: readonly string[], context: EntryContext, key?: string) {
    this.scope = scope;
    this.resource = resource;
    this.#context = context;
    this.#clock = context.clock;
    this.#key = key;
  }

  /** The cache key, made when first needed (a shared store, events, per-call scopes). */
  get key(): string {
    return (this.#key ??= this.#context.keyOf(this.scope, this.resource));
  }

  /** A short hash of the key, for events. */
  get eventKey(): string {
    return (this.#eventKey ??= shortHash(this.key));
  }

  /** The hot path: a clock read and a settled promise when the token is fresh. */
  get(forceRefresh: boolean, signal: AbortSignal | undefined, waitUntil?: WaitUntil): Promise<Token> {
    if (!forceRefresh && this.#clock.now() < this.#softAt) {
      if (this.#served !== undefined) this.#context.config.emit!(this.#served);
      return this.#settled!;
    }
    return this.#slow(forceRefresh, signal, waitUntil);
  }

  /** Whether nothing here is worth keeping: no request in flight and no token still valid. */
  idle(): boolean {
    return !this.#flight?.live && (this.#token === undefined || this.#clock.now() >= this.#token.expiresAt);
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
    this.#flight?.cancel();
    this.#context.config.emit?.({ type: "token_invalidated", key: this.eventKey, tokenHash: dropped && shortHash(dropped.accessToken) });
    await this.#context.source.discard(this, accessToken ?? dropped?.accessToken);
    return true;
  }

  /** Aborts the request in flight and refuses further requests. */
  close(reason: TokenKeeperError): void {
    this.#closed = reason;
    this.#flight?.cancel(reason);
  }

  #slow(forceRefresh: boolean, signal: AbortSignal | undefined, waitUntil: WaitUntil): Promise<Token> {
    const now = this.#clock.now();
    if (!forceRefresh && this.#token !== undefined && now < this.#hardAt) {
      this.#refreshInBackground(now, waitUntil);
      if (this.#served !== undefined) this.#context.config.emit!(this.#served);
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
    if (this.#flight?.live || now < this.#cooldownUntil || now < this.#backgroundPauseUntil || this.#closed) return;
    this.#start(now, true, waitUntil).catch(() => {});
  }

  #join(now: number, signal: AbortSignal | undefined, waitUntil: WaitUntil): Promise<Token> {
    if (this.#closed) return Promise.reject(this.#closed);
    const flight = this.#flight;
    if (flight?.live) return flight.joinable() ? flight.promise : this.#waitFor(flight, signal, waitUntil);
    if (now < this.#cooldownUntil) {
      return Promise.reject(new TokenKeeperError("COOLDOWN", `token request not sent: ${this.#failures} consecutive failures, cooling down for ${Math.ceil(this.#cooldownUntil - now)} ms`, { cause: this.#lastError }));
    }
    return this.#start(now, false, waitUntil);
  }

  /**
   * Waits, with this incoming request's own timers, for a flight another incoming request started
   * (Workers); when that one is gone, the first waiter to notice lets go of it and starts the next.
   */
  async #waitFor(flight: Flight, signal: AbortSignal | undefined, waitUntil: WaitUntil): Promise<Token> {
    const held = this.#token;
    const token = await flight.wait(signal, waitBoundMs(this.#context.config.policy.timeoutMs));
    if (token !== undefined) return token;
    flight.abandon();
    // Another request may have taken over and finished meanwhile: its token serves this caller too
    // (never the token held when this caller began to wait, which a forced refresh replaces).
    const now = this.#clock.now();
    if (this.#token !== undefined && this.#token !== held && now < this.#hardAt) return this.#token;
    return this.#join(now, signal, waitUntil);
  }

  #start(now: number, background: boolean, waitUntil: WaitUntil): Promise<Token> {
    const { config: { emit }, source } = this.#context;
    const refresh = this.#token !== undefined;
    const request = ++requests;
    emit?.({ type: "token_request_started", key: this.eventKey, request, refresh, background });
    const exclude = [this.#token?.accessToken, this.#rejected].filter((t): t is string => t !== undefined);
    const query: TokenQuery = emit ? { key: this.key, eventKey: this.eventKey, scope: this.scope, resource: this.resource, request } : this;
    const flight: Flight = new Flight((signal) =>
      source.obtain(query, exclude, signal).then(
        (obtained) => this.#landed(flight, obtained, request),
        (error: unknown) => this.#failed(flight, error, now, refresh, request),
      )
    );
    this.#flight = flight;
    // Kept alive past the response of the request that started it (Workers), the flight goes on
    // serving the requests that wait for it, and a background refresh completes.
    const settled = flight.promise.then(() => {}, () => {});
    for (const hand of [this.#context.config.waitUntil, waitUntil]) {
      try {
        hand?.(settled);
      } catch {
        // A host that refuses background work must not stop a token from being served.
      }
    }
    return flight.promise;
  }

  #landed(flight: Flight, { record, source }: Obtained, request: number): Promise<Token> | Token {
    // An invalidation happened while this request was under way: its token is not published.
    if (flight.void) return this.#join(this.#clock.now(), undefined, undefined);
    this.#failures = 0;
    this.#backgroundPauseUntil = 0;
    const token = new Token(record);
    if (record.expiresAt <= record.issuedAt) {
      // expires_in 0: this caller uses it once; nothing is cached.
      this.#clear();
      return token;
    }
    const { softAt, hardAt } = refreshDeadlines(record, this.#context.config.policy, Math.random());
    this.#token = token;
    this.#settled = Promise.resolve(token);
    this.#softAt = softAt;
    this.#hardAt = hardAt;
    const emit = this.#context.config.emit;
    if (emit) {
      const served = { type: "token_served", key: this.eventKey, tokenHash: shortHash(record.accessToken) } as const;
      this.#served = Object.freeze({ ...served, source: "memory" });
      if (source === "store") emit({ ...served, source, request });
    }
    return token;
  }

  /** Reports a failed token request; it counts towards the cooldown unless invalidated meanwhile. */
  #failed(flight: Flight, error: unknown, startedAt: number, refresh: boolean, request: number): never {
    const now = this.#clock.now();
    const { emit, policy } = this.#context.config;
    if (emit) {
      const failure = error instanceof TokenKeeperError ? error : undefined;
      emit({
        type: "token_request_failed",
        key: this.eventKey,
        request,
        code: failure?.code ?? "NETWORK_ERROR",
        error: oauthErrorOf(error),
        status: failure?.status,
        refresh,
        servingStale: this.#token !== undefined && now < this.#token.expiresAt,
      });
    }
    if (!flight.void) {
      this.#failures++;
      this.#lastError = error;
      this.#backgroundPauseUntil = now + Math.min(maxBackgroundPauseMs, 1_000 * 2 ** (this.#failures - 1));
      const cooldown = cooldownMs(this.#failures, policy.retry);
      if (cooldown > 0) {
        this.#cooldownUntil = Math.max(startedAt, now) + cooldown;
        emit?.({ type: "cooldown", key: this.eventKey, until: this.#cooldownUntil, failures: this.#failures });
      }
    }
    throw error;
  }

  #clear(): void {
    this.#token = undefined;
    this.#settled = undefined;
    this.#served = undefined;
    this.#softAt = -Infinity;
    this.#hardAt = -Infinity;
  }
}
