import { abortable } from "./deadline.ts";
import { TokenKeeperError } from "./errors.ts";
import { shortHash, type TokenKeeperEvent } from "./events.ts";
import { deadlines, type LifetimePolicy } from "./lifetime.ts";
import type { RetryPolicy } from "./options.ts";
import { cooldownDelayMs } from "./retry.ts";
import type { Clock } from "./symbols.ts";
import { Token, type TokenRecord } from "./token.ts";

/** Where a token came from. */
export type TokenSource = "store" | "network";

/** What a {@link CacheEntry} needs from its keeper. */
export interface EntryHost {
  readonly clock: Clock;
  readonly lifetime: LifetimePolicy;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  /** `undefined` when nobody listens, so the hot path builds no event. */
  readonly emit: ((event: TokenKeeperEvent) => void) | undefined;
  /** A controller for one token request, aborted if the keeper closes while it runs. */
  flightController(): AbortController;
  /** Gets a new token (from the shared store or the token endpoint). */
  obtain(entry: CacheEntry, signal: AbortSignal): Promise<{ record: TokenRecord; source: TokenSource }>;
  /** Hands background work to the platform (`waitUntil`) so it is not cut short. */
  background(promise: Promise<unknown>): void;
}

/** How far ahead of this clock another instance's clock may be when it writes a shared token. */
const maxClockSkewMs = 5_000;

/** The longest pause between background refresh attempts after failures. */
const maxBackgroundPauseMs = 30_000;

/**
 * One cache key's token and its state machine: fresh (served at once), soft window (served at
 * once, one background refresh), hard window or expired (callers wait for one shared request).
 */
export class CacheEntry {
  /** The cache key: endpoint, client, auth method, scope set, resource set. */
  readonly key: string;
  /** Short hash of `key` for events. */
  readonly eventKey: string;
  readonly scope: readonly string[];
  readonly resource: readonly string[];
  readonly #host: EntryHost;
  readonly #clock: Clock;
  #token: Token | undefined;
  #settled: Promise<Token> | undefined;
  #served: TokenKeeperEvent | undefined;
  #softAt = -Infinity;
  #hardAt = -Infinity;
  #flight: Promise<Token> | undefined;
  #flightSignal: AbortSignal | undefined;
  #generation = 0;
  #rejected: string | undefined;
  #failures = 0;
  #cooldownUntil = -Infinity;
  #backgroundPauseUntil = -Infinity;

  constructor(key: string, scope: readonly string[], resource: readonly string[], host: EntryHost) {
    this.key = key;
    this.eventKey = shortHash(key);
    this.scope = scope;
    this.resource = resource;
    this.#host = host;
    this.#clock = host.clock;
  }

  /** The hot path: a clock read and a settled promise when the token is fresh. */
  get(forceRefresh: boolean, signal: AbortSignal | undefined): Promise<Token> {
    if (!forceRefresh && this.#clock.now() < this.#softAt) {
      if (this.#served !== undefined) this.#host.emit!(this.#served);
      return this.#settled!;
    }
    return this.#slow(forceRefresh, signal);
  }

  /** The cached token's value, if any. */
  get accessToken(): string | undefined {
    return this.#token?.accessToken;
  }

  /**
   * Whether a token found in a shared store may replace this entry's: not the one held now (it
   * is being refreshed), not the last one invalidated, no longer-lived than `maxLifetimeMs`, and
   * not yet in its own soft window.
   */
  acceptsShared(record: TokenRecord): boolean {
    if (record.accessToken === this.#token?.accessToken || record.accessToken === this.#rejected) return false;
    // A record claiming more than maxLifetimeMs was not written by a keeper with this policy.
    if (record.expiresAt - record.issuedAt > this.#host.lifetime.maxLifetimeMs) return false;
    // Nor was one that claims to have been issued in the future (beyond a fleet's clock skew).
    if (record.issuedAt > this.#clock.now() + maxClockSkewMs) return false;
    return this.#clock.now() < deadlines(record, this.#host.lifetime, 0).softAt;
  }

  /**
   * Drops the cached token (only when it is `accessToken`, if given) and makes sure a refresh that
   * started before never publishes its result.
   *
   * @returns Whether anything was dropped.
   */
  invalidate(accessToken?: string): boolean {
    if (accessToken !== undefined && this.#token?.accessToken !== accessToken) return false;
    const dropped = this.#token;
    this.#rejected = dropped?.accessToken ?? this.#rejected;
    this.#clear();
    this.#generation++;
    this.#flight = undefined;
    this.#flightSignal = undefined;
    this.#host.emit?.({ type: "token_invalidated", key: this.eventKey, tokenHash: dropped && shortHash(dropped.accessToken) });
    return true;
  }

  #slow(forceRefresh: boolean, signal: AbortSignal | undefined): Promise<Token> {
    const now = this.#clock.now();
    if (!forceRefresh && this.#token !== undefined && now < this.#hardAt) {
      this.#refreshInBackground(now);
      if (this.#served !== undefined) this.#host.emit!(this.#served);
      return this.#settled!;
    }
    // A forced refresh never answers with the token it was asked to replace: its failure is final.
    if (forceRefresh) return abortable(this.#join(now), signal);
    return abortable(this.#join(now).catch((error) => this.#stillValid(error)), signal);
  }

  /** Whether nothing here is worth keeping: no request in flight and no token still valid. */
  idle(): boolean {
    if (this.#flight !== undefined) return false;
    return this.#token === undefined || this.#clock.now() >= this.#token.expiresAt;
  }

  /** Serve while valid: a failed refresh is seen by callers only once no valid token is left. */
  #stillValid(error: unknown): Token {
    const token = this.#token;
    if (token !== undefined && this.#clock.now() < token.expiresAt) return token;
    throw error;
  }

  /**
   * Whether the request in flight may be awaited here. workerd binds I/O objects to the incoming
   * request that made them, and awaiting another request's fetch can hang forever (jose #355,
   * #509); touching the flight's signal throws there, so each incoming request then gets its own
   * flight. Everywhere else this is always true.
   */
  #flightJoinable(): boolean {
    try {
      return this.#flightSignal?.aborted !== undefined;
    } catch {
      return false;
    }
  }

  #refreshInBackground(now: number): void {
    // Any flight will do here, joinable or not: soft-window callers are served the cached token
    // and need not wait, so one refresh at a time is enough (on workerd too).
    if (this.#flight !== undefined || now < this.#cooldownUntil || now < this.#backgroundPauseUntil) return;
    this.#host.emit?.({ type: "refresh_started", key: this.eventKey });
    const refresh = this.#start(now);
    refresh.catch(() => {});
    this.#host.background(refresh);
  }

  #join(now: number): Promise<Token> {
    if (this.#flight !== undefined && this.#flightJoinable()) return this.#flight;
    if (now < this.#cooldownUntil) {
      return Promise.reject(new TokenKeeperError("COOLDOWN", `token request not sent: ${this.#failures} consecutive failures, cooling down for ${Math.ceil(this.#cooldownUntil - now)} ms`));
    }
    return this.#start(now);
  }

  #start(now: number): Promise<Token> {
    const generation = this.#generation;
    const controller = this.#host.flightController();
    const flight: Promise<Token> = this.#host.obtain(this, controller.signal).then(
      ({ record, source }) => {
        if (this.#flight === flight) this.#flight = this.#flightSignal = undefined;
        // An invalidation happened while this request was under way: its token is not published.
        if (generation !== this.#generation) return this.#join(this.#clock.now());
        this.#failures = 0;
        this.#backgroundPauseUntil = -Infinity;
        return this.#publish(record, source);
      },
      (error: unknown) => {
        if (this.#flight === flight) this.#flight = this.#flightSignal = undefined;
        if (generation === this.#generation) this.#recordFailure(error, now);
        throw error;
      },
    );
    this.#flight = flight;
    this.#flightSignal = controller.signal;
    return flight;
  }

  #publish(record: TokenRecord, source: TokenSource): Token {
    const token = new Token(record);
    if (record.expiresAt <= record.issuedAt) {
      // expires_in 0: this caller uses it once; nothing is cached.
      this.#clear();
      return token;
    }
    const { softAt, hardAt } = deadlines(record, this.#host.lifetime, this.#host.random());
    this.#token = token;
    this.#settled = Promise.resolve(token);
    this.#softAt = softAt;
    this.#hardAt = hardAt;
    this.#served = this.#host.emit && Object.freeze({ type: "token_served", key: this.eventKey, tokenHash: shortHash(record.accessToken), source: "memory" } as const);
    if (source === "store") this.#host.emit?.({ type: "token_served", key: this.eventKey, tokenHash: shortHash(record.accessToken), source });
    return token;
  }

  #recordFailure(error: unknown, startedAt: number): void {
    const now = this.#clock.now();
    this.#failures++;
    this.#backgroundPauseUntil = now + Math.min(maxBackgroundPauseMs, 1_000 * 2 ** (this.#failures - 1));
    const cooldown = cooldownDelayMs(this.#failures, this.#host.retry);
    const emit = this.#host.emit;
    if (emit) {
      const failure = error instanceof TokenKeeperError ? error : undefined;
      emit({
        type: "refresh_failed",
        key: this.eventKey,
        code: failure?.code ?? "NETWORK_ERROR",
        status: failure?.status,
        servingStale: this.#token !== undefined && now < this.#token.expiresAt,
      });
    }
    if (cooldown > 0) {
      this.#cooldownUntil = Math.max(startedAt, now) + cooldown;
      emit?.({ type: "cooldown", key: this.eventKey, until: this.#cooldownUntil, failures: this.#failures });
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
