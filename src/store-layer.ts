import type { TokenKeeperEvent } from "./events.ts";
import type { TokenStore, TokenStoreLock } from "./store.ts";
import { openRecord, sealRecord, storeKeyFor } from "./store-crypto.ts";
import { sleep as retrySleep } from "./retry.ts";
import type { TokenRecord } from "./token.ts";

/** Options of {@link createStoreLayer}. */
export interface StoreLayerOptions {
  /** The shared store. */
  store: TokenStore;
  /** AES-GCM key for tokens at rest. @default tokens are stored as JSON */
  encryptionKey?: CryptoKey | undefined;
  /** The keeper's clock, epoch ms; used for the TTL written with a token. */
  now: () => number;
  /** Receives `store_error` and `store_lock_wait`; may be a no-op. */
  emit: (event: TokenKeeperEvent) => void;
  /**
   * Lifetime of the cross-instance refresh lock: how long a lock holder that died holds up the
   * others. Should exceed one token request (the keeper's `timeoutMs`).
   * @default 10000
   */
  lockTtlMs?: number;
  /**
   * Deadline for one store operation; past it the operation counts as failed.
   * @default 1000
   */
  storeTimeoutMs?: number;
  /**
   * Waits between polls of the store while another instance holds the lock. For tests.
   * @default a `setTimeout` that rejects with the signal's reason on abort
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The shared-store layer that sits behind the keeper's memory cache. */
export interface StoreLayer {
  /**
   * Returns a token record for `cacheKey`: from the store when one there is `usable`, else by
   * calling `fetchToken` once under the cross-instance lock (or waiting for another holder's
   * result), writing it back. Never rejects because of the store: store errors and timeouts emit
   * `store_error` and fall back to `fetchToken()`.
   *
   * @throws fetchToken's error, or the signal's reason when it aborts a wait.
   */
  obtain(
    cacheKey: string,
    eventKey: string,
    usable: (record: TokenRecord) => boolean,
    fetchToken: () => Promise<TokenRecord>,
    signal?: AbortSignal,
  ): Promise<{ record: TokenRecord; source: "store" | "network" }>;
  /**
   * Deletes the stored token for `cacheKey` if its value equals `accessToken` (unconditionally
   * when `undefined`). Never rejects.
   */
  remove(cacheKey: string, eventKey: string, accessToken?: string): Promise<void>;
}

type Operation = "get" | "set" | "delete" | "lock" | "release";

const FAILED: unique symbol = Symbol("store failed");
type Failed = typeof FAILED;

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 500;

/**
 * Creates the layer that shares tokens through a {@link TokenStore}: hashed keys, optional
 * AES-GCM at rest, a cross-instance lock so a fleet sends one token request per refresh, and
 * degradation to memory when the store fails.
 *
 * @param options The store, clock, event sink and tuning.
 * @returns The layer.
 * @throws {RangeError} When `lockTtlMs` or `storeTimeoutMs` is not a positive integer.
 */
export function createStoreLayer(options: StoreLayerOptions): StoreLayer {
  const { store, encryptionKey, now } = options;
  const lockTtlMs = positiveInteger("lockTtlMs", options.lockTtlMs ?? 10_000);
  const storeTimeoutMs = positiveInteger("storeTimeoutMs", options.storeTimeoutMs ?? 1_000);
  const sleep = options.sleep ?? retrySleep;
  // A waiter whose lock never comes stops waiting after one lock lifetime: a live holder has
  // written its token by then, and a dead one's lock has expired.
  const maxWaitMs = lockTtlMs;

  function emit(event: TokenKeeperEvent): void {
    try {
      options.emit(event);
    } catch {
      // An observer's exception must not fail a token request.
    }
  }

  function fail(eventKey: string, operation: Operation, error: unknown, redact?: string): Failed {
    let message = error instanceof Error ? error.message : String(error);
    if (redact) message = message.split(redact).join("[redacted]");
    emit({ type: "store_error", key: eventKey, operation, message: message.slice(0, 200) });
    return FAILED;
  }

  /** Runs one store operation under the timeout; a failure is reported and returned as FAILED. */
  async function attempt<T>(eventKey: string, operation: Operation, run: () => Promise<T>, redact?: string): Promise<T | Failed> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`store ${operation} timed out after ${storeTimeoutMs} ms`)), storeTimeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(run), timeout]);
    } catch (error) {
      return fail(eventKey, operation, error, redact);
    } finally {
      clearTimeout(timer);
    }
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
    await attempt(eventKey, "set", async () => store.set(key, await sealRecord(record, key, encryptionKey), ttlMs), record.accessToken);
  }

  async function fetchAndShare(
    key: string,
    eventKey: string,
    fetchToken: () => Promise<TokenRecord>,
    share: boolean,
  ): Promise<{ record: TokenRecord; source: "network" }> {
    const record = await fetchToken();
    if (share) await write(key, eventKey, record);
    return { record, source: "network" };
  }

  async function asHolder(
    key: string,
    eventKey: string,
    lock: TokenStoreLock,
    usable: (record: TokenRecord) => boolean,
    fetchToken: () => Promise<TokenRecord>,
  ): Promise<{ record: TokenRecord; source: "store" | "network" }> {
    try {
      // The previous holder may have written its token between our read and our lock.
      const found = await read(key, eventKey);
      if (found !== FAILED && found !== undefined && usable(found)) return { record: found, source: "store" };
      return await fetchAndShare(key, eventKey, fetchToken, found !== FAILED);
    } finally {
      await attempt(eventKey, "release", () => lock.release());
    }
  }

  return {
    async obtain(cacheKey, eventKey, usable, fetchToken, signal) {
      signal?.throwIfAborted();
      const key = await storeKeyFor(cacheKey);
      const found = await read(key, eventKey);
      if (found === FAILED) return fetchAndShare(key, eventKey, fetchToken, false);
      if (found !== undefined && usable(found)) return { record: found, source: "store" };
      if (store.lock === undefined) return fetchAndShare(key, eventKey, fetchToken, true);

      const lockKey = `${key}:lock`;
      let waitedMs = 0;
      let delayMs = FIRST_POLL_MS;
      for (;;) {
        const lock = await attempt(eventKey, "lock", () => store.lock!(lockKey, lockTtlMs));
        if (lock === FAILED) return fetchAndShare(key, eventKey, fetchToken, false);
        if (lock !== undefined && lock !== null) {
          if (waitedMs > 0) emit({ type: "store_lock_wait", key: eventKey, waitedMs });
          return asHolder(key, eventKey, lock, usable, fetchToken);
        }
        if (waitedMs >= maxWaitMs) {
          emit({ type: "store_lock_wait", key: eventKey, waitedMs });
          return fetchAndShare(key, eventKey, fetchToken, true);
        }
        // Half fixed, half random, so waiters across a fleet do not poll in step.
        const pauseMs = Math.min(maxWaitMs - waitedMs, Math.ceil(delayMs / 2 + Math.random() * delayMs / 2));
        await sleep(pauseMs, signal);
        signal?.throwIfAborted();
        waitedMs += pauseMs;
        delayMs = Math.min(delayMs * 2, MAX_POLL_MS);
        const polled = await read(key, eventKey);
        if (polled === FAILED) return fetchAndShare(key, eventKey, fetchToken, false);
        if (polled !== undefined && usable(polled)) {
          emit({ type: "store_lock_wait", key: eventKey, waitedMs });
          return { record: polled, source: "store" };
        }
      }
    },

    async remove(cacheKey, eventKey, accessToken) {
      try {
        const key = await storeKeyFor(cacheKey);
        if (accessToken !== undefined) {
          const found = await read(key, eventKey);
          if (found === FAILED || found === undefined || found.accessToken !== accessToken) return;
        }
        await attempt(eventKey, "delete", () => store.delete(key));
      } catch (error) {
        fail(eventKey, "delete", error);
      }
    },
  };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Invalid option "${name}": expected a positive integer of milliseconds, got ${String(value)}`);
  }
  return value;
}
