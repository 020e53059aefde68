import type { CryptoKey } from "./crypto-key.ts";
import type { Emit } from "./events.ts";
import { storeFeature } from "./features.ts";
import { type LifetimePolicy, refreshDeadlines } from "./lifetime.ts";
import { Redactor } from "./redact.ts";
import type { TokenStore, TokenStoreLock } from "./store.ts";
import { openRecord, sealRecord, storeKeyFor } from "./store-crypto.ts";
import { sleep, startDeadline, untilAborted } from "./timers.ts";
import type { TokenRecord } from "./token.ts";
import type { Obtained, TokenQuery, TokenRequester, TokenSource } from "./token-source.ts";


/** Options of {@link sharedStore} (and of every store adapter, which passes them on). */
export interface SharedStoreOptions {
  /**
   * AES-GCM key (a `CryptoKey` with the `encrypt` and `decrypt` usages) for tokens at rest. Every
   * member of a fleet imports the same key, for example from a base64 secret:
   * `crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"])`.
   * @default tokens are stored as JSON
   */
  encryptionKey?: CryptoKey;
  /**
   * Deadline for one store operation; past it the operation counts as failed and the keeper goes
   * on with memory.
   * @default 1000
   */
  operationTimeoutMs?: number;
}

/** What a keeper gives a shared store when it connects. */
export interface StoreConnection {
  /** The keeper's clock, epoch ms. */
  readonly now: () => number;
  readonly emit: Emit;
  readonly lifetime: LifetimePolicy;
  /** How long a dead lock holder holds up the fleet; longer than one token request. */
  readonly lockTtlMs: number;
  /** Extra key material (the DPoP key thumbprint), resolved once. */
  readonly keyMaterial: () => Promise<string | undefined>;
  /** Where tokens come from when the store has none. */
  readonly requester: TokenRequester;
  /** Waits between polls while another instance holds the lock (a test seam). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Connects a shared store to a keeper: the token source the keeper's cache entries use. */
export type StoreConnector = (connection: StoreConnection) => TokenSource;

/**
 * A {@link TokenStore} made ready for a keeper's `store` option by {@link sharedStore}: the store's
 * own methods, plus the shared-store protocol that comes with it.
 */
export interface SharedTokenStore extends TokenStore {
  /** @internal */
  readonly [storeFeature]: StoreConnector;
}

type Operation = "get" | "set" | "delete" | "lock" | "release";

const FAILED: unique symbol = Symbol("store failed");
type Failed = typeof FAILED;

const firstPollMs = 25;
const maxPollMs = 500;
/** How far ahead of this clock another instance's clock may be when it writes a shared token. */
const maxClockSkewMs = 5_000;

/**
 * Shares tokens between processes, isolates or machines through a {@link TokenStore}: keys are
 * hashed, tokens can be encrypted at rest (AES-GCM), a cross-instance lock makes a fleet send one
 * token request per refresh, and a failing store degrades to memory instead of failing a call. A
 * token is shared only between keepers that would be issued the same token and may present it:
 * same endpoint, client, auth method, scope set, resource set, token parameters, token type and
 * DPoP key. The store adapters (`tokenkeeper/stores/*`) call this for you.
 *
 * @param store A store: get, set with TTL, delete, and optionally an atomic lock.
 * @param options The encryption key and the store operation timeout.
 * @returns The value to pass as the keeper's `store`.
 * @throws {TypeError} When `store` lacks a method, or `encryptionKey` is not an AES-GCM key for
 *   encrypt and decrypt.
 * @example A store of your own
 * ```ts
 * import { createTokenKeeper, sharedStore, type TokenStore } from "tokenkeeper";
 *
 * const map = new Map<string, string>();
 * const mine: TokenStore = {
 *   get: async (key) => map.get(key),
 *   set: async (key, value) => void map.set(key, value),
 *   delete: async (key) => void map.delete(key),
 * };
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret", store: sharedStore(mine) });
 * ```
 */
export function sharedStore(store: TokenStore, options: SharedStoreOptions = {}): SharedTokenStore {
  if (typeof store?.get !== "function" || typeof store.set !== "function" || typeof store.delete !== "function") {
    throw new TypeError("sharedStore: store must implement get, set and delete (see TokenStore)");
  }
  if (store.lock !== undefined && typeof store.lock !== "function") throw new TypeError("sharedStore: store.lock must be a function");
  const { encryptionKey } = options;
  if (encryptionKey !== undefined && !isAesGcmKey(encryptionKey)) {
    throw new TypeError("sharedStore: encryptionKey must be an AES-GCM CryptoKey with the encrypt and decrypt usages");
  }
  const timeoutMs = options.operationTimeoutMs ?? 1_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`sharedStore: operationTimeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  return Object.freeze({
    get: (key: string) => store.get(key),
    set: (key: string, value: string, ttlMs: number) => store.set(key, value, ttlMs),
    delete: (key: string) => store.delete(key),
    ...(store.lock ? { lock: (key: string, ttlMs: number) => store.lock!(key, ttlMs) } : {}),
    [storeFeature]: (connection: StoreConnection) => connect(store, encryptionKey, timeoutMs, connection),
  });
}

function isAesGcmKey(value: unknown): boolean {
  const key = value as Partial<CryptoKey> | null;
  return typeof key === "object" && key !== null && key.type === "secret" && key.algorithm?.name === "AES-GCM" &&
    Array.isArray(key.usages) && key.usages.includes("encrypt") && key.usages.includes("decrypt");
}

/**
 * Whether a token found in a shared store may be used: not one of `exclude`, no longer-lived than
 * `maxLifetimeMs` and not issued in the future (a keeper with this policy did not write it), and
 * not yet in its own soft window.
 */
function usable(record: TokenRecord, exclude: readonly string[], lifetime: LifetimePolicy, now: number): boolean {
  if (exclude.includes(record.accessToken)) return false;
  if (record.expiresAt - record.issuedAt > lifetime.maxLifetimeMs || record.issuedAt > now + maxClockSkewMs) return false;
  return now < refreshDeadlines(record, lifetime, 0).softAt;
}

function connect(store: TokenStore, encryptionKey: CryptoKey | undefined, timeoutMs: number, connection: StoreConnection): TokenSource {
  const { now, requester, lockTtlMs } = connection;
  const pause = connection.sleep ?? sleep;

  function fail(eventKey: string, operation: Operation, error: unknown, redactor?: Redactor): Failed {
    const message = error instanceof Error ? error.message : String(error);
    connection.emit?.({ type: "store_error", key: eventKey, operation, message: (redactor ?? new Redactor()).excerpt(message, 200) });
    return FAILED;
  }

  /** Runs one store operation under the timeout; a failure is reported and returned as FAILED. */
  async function attempt<T>(eventKey: string, operation: Operation, run: () => Promise<T>, redactor?: Redactor): Promise<T | Failed> {
    const deadline = startDeadline(new AbortController().signal, timeoutMs, `store ${operation}`);
    try {
      return await untilAborted(Promise.resolve().then(run), deadline.signal);
    } catch (error) {
      return fail(eventKey, operation, error, redactor);
    } finally {
      deadline.clear();
    }
  }

  async function storeKey(query: TokenQuery): Promise<string> {
    return storeKeyFor(JSON.stringify([query.key, await connection.keyMaterial()]));
  }

  async function read(key: string, eventKey: string): Promise<TokenRecord | undefined | Failed> {
    const value = await attempt(eventKey, "get", () => store.get(key));
    if (value === FAILED) return FAILED;
    if (value === undefined || value === null) return undefined;
    try {
      return await openRecord(value, key, encryptionKey);
    } catch (error) {
      fail(eventKey, "get", error);
      return undefined;
    }
  }

  async function write(key: string, eventKey: string, record: TokenRecord): Promise<void> {
    const ttlMs = Math.floor(record.expiresAt - now());
    if (ttlMs < 1) return; // expires_in 0: used once, never shared
    const redactor = new Redactor();
    redactor.add(record.accessToken);
    await attempt(eventKey, "set", async () => store.set(key, await sealRecord(record, key, encryptionKey), ttlMs), redactor);
  }

  async function fetchAndShare(key: string, query: TokenQuery, signal: AbortSignal, share: boolean): Promise<Obtained> {
    const record = await requester(query, signal);
    if (share) await write(key, query.eventKey, record);
    return { record, source: "network" };
  }

  const found = (record: TokenRecord | undefined | Failed, exclude: readonly string[]): record is TokenRecord =>
    record !== FAILED && record !== undefined && usable(record, exclude, connection.lifetime, now());

  async function asHolder(key: string, query: TokenQuery, exclude: readonly string[], lock: TokenStoreLock, signal: AbortSignal): Promise<Obtained> {
    try {
      // The previous holder may have written its token between our read and our lock.
      const record = await read(key, query.eventKey);
      if (found(record, exclude)) return { record, source: "store" };
      return await fetchAndShare(key, query, signal, record !== FAILED);
    } finally {
      await attempt(query.eventKey, "release", () => lock.release());
    }
  }

  return {
    async obtain(query, exclude, signal) {
      signal.throwIfAborted();
      const { eventKey } = query;
      const key = await storeKey(query);
      const stored = await read(key, eventKey);
      if (stored === FAILED) return fetchAndShare(key, query, signal, false);
      if (found(stored, exclude)) return { record: stored, source: "store" };
      if (store.lock === undefined) return fetchAndShare(key, query, signal, true);

      const lockKey = `${key}:lock`;
      // A lock that never comes costs at most one lock lifetime: a live holder has written its
      // token by then, and a dead one's lock has expired. When the lock changes hands (the
      // adapters keep the holder's id as the lock's value), the new holder gets a lifetime too.
      let holder: string | undefined;
      let waitedMs = 0;
      let budgetMs = lockTtlMs;
      let delayMs = firstPollMs;
      for (;;) {
        const lock = await attempt(eventKey, "lock", () => store.lock!(lockKey, lockTtlMs));
        if (lock === FAILED) return fetchAndShare(key, query, signal, false);
        if (lock !== undefined && lock !== null) {
          if (waitedMs > 0) connection.emit?.({ type: "store_lock_wait", key: eventKey, waitedMs });
          return asHolder(key, query, exclude, lock, signal);
        }
        const current = await attempt(eventKey, "get", () => store.get(lockKey));
        if (typeof current === "string" && holder !== undefined && current !== holder) budgetMs = waitedMs + lockTtlMs;
        if (typeof current === "string") holder = current;
        if (waitedMs >= budgetMs) {
          connection.emit?.({ type: "store_lock_wait", key: eventKey, waitedMs });
          // The next holder may have written its token and released the lock since our last read.
          const last = await read(key, eventKey);
          if (found(last, exclude)) return { record: last, source: "store" };
          return fetchAndShare(key, query, signal, last !== FAILED);
        }
        // Half fixed, half random, so waiters across a fleet do not poll in step.
        const pauseMs = Math.min(budgetMs - waitedMs, Math.ceil(delayMs / 2 + Math.random() * delayMs / 2));
        await pause(pauseMs, signal);
        signal.throwIfAborted();
        waitedMs += pauseMs;
        delayMs = Math.min(delayMs * 2, maxPollMs);
        const polled = await read(key, eventKey);
        if (polled === FAILED) return fetchAndShare(key, query, signal, false);
        if (found(polled, exclude)) {
          connection.emit?.({ type: "store_lock_wait", key: eventKey, waitedMs });
          return { record: polled, source: "store" };
        }
      }
    },

    async discard(query, accessToken) {
      try {
        const key = await storeKey(query);
        if (accessToken !== undefined) {
          const stored = await read(key, query.eventKey);
          if (stored === FAILED || stored === undefined || stored.accessToken !== accessToken) return;
        }
        await attempt(query.eventKey, "delete", () => store.delete(key));
      } catch (error) {
        fail(query.eventKey, "delete", error);
      }
    },
  };
}
