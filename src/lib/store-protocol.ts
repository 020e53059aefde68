/**
 * The shared-store protocol, which comes with a `sharedStore()` value and only with it: store keys,
 * sealed values, the cross-instance lock and its bounded wait, and degradation to memory.
 *
 * @module
 */
import type { ClientAuth } from "./auth.ts";
import { type Emit, shortHash } from "./events.ts";
import { credentialFingerprint } from "./fingerprint.ts";
import { Redactor } from "./redact.ts";
import type { Obtained, TokenQuery, TokenSource } from "./source.ts";
import { openRecord, sealRecord, storeKeyFor } from "./store-crypto.ts";
import { sleep, startDeadline, untilAborted } from "./timers.ts";
import { type LifetimePolicy, refreshDeadlines, type TokenRecord } from "./token.ts";
import { waitBoundMs } from "./timers.ts";
import type { ClientAuthentication, CryptoKey, StoreKeeper, TokenStore, TokenStoreLock } from "./types.ts";
import type { TokenRequester } from "./source.ts";

/** What the shared-store protocol needs of its keeper. */
export interface StoreConnection {
  /** The keeper's clock, epoch ms. */
  readonly now: () => number;
  readonly emit: Emit;
  readonly lifetime: LifetimePolicy;
  /** How long a dead lock holder holds up the fleet; longer than one token request. */
  readonly lockTtlMs: number;
  /** Extra key material (the DPoP key thumbprint), resolved once. */
  readonly keyMaterial: () => Promise<string | undefined>;
  /** The keeper's client authentication: a fingerprint of its credential is part of the store key. */
  readonly clientAuth: ClientAuthentication;
  /** Where tokens come from when the store has none. */
  readonly requester: TokenRequester;
  /** Waits between polls while another instance holds the lock (a test seam). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The {@link StoreConnection} of a keeper. */
export function connectionOf(keeper: StoreKeeper, requester: TokenRequester): StoreConnection {
  return {
    now: () => keeper.clock.now(),
    emit: keeper.emit,
    lifetime: keeper.policy,
    lockTtlMs: waitBoundMs(keeper.policy.timeoutMs),
    keyMaterial: async () => keeper.dpop?.thumbprint(),
    clientAuth: keeper.auth,
    requester,
  };
}

/** What {@link connect} is given of a `sharedStore()`'s options. */
export interface StoreSettings {
  readonly encryptionKey: CryptoKey | undefined;
  /** The HMAC key of store keys, derived once from the encryption key; none without one. */
  readonly macKey: (() => Promise<CryptoKey>) | undefined;
  readonly timeoutMs: number;
}

type Operation = "get" | "set" | "delete" | "lock" | "release";

const FAILED: unique symbol = Symbol("store failed");
type Failed = typeof FAILED;

const firstPollMs = 25;
const maxPollMs = 500;
/** How far ahead of this clock another instance's clock may be when it writes a shared token. */
const maxClockSkewMs = 5_000;
/** Most invalidated tokens a keeper remembers (by hash) so as never to take them from the store again. */
const maxRefused = 1_000;

/**
 * Whether a token found in a shared store may be used: no longer-lived than `maxLifetimeMs` and
 * not issued in the future (a keeper with this policy did not write it), and not yet in its own
 * soft window.
 */
function usable(record: TokenRecord, lifetime: LifetimePolicy, now: number): boolean {
  if (record.expiresAt - record.issuedAt > lifetime.maxLifetimeMs || record.issuedAt > now + maxClockSkewMs) return false;
  return now < refreshDeadlines(record, lifetime, 0).softAt;
}

/**
 * The shared-store protocol for one keeper: store keys (cache key, DPoP key, credential
 * fingerprint; an HMAC with an encryption key), sealed values, the cross-instance lock and its
 * bounded wait, and degradation to the token endpoint when the store fails.
 *
 * What it promises about stored values: a sealed value opens only under the store key it was
 * written for, and its expiry cannot be moved (AES-GCM covers both); a token this keeper
 * invalidated is never taken from the store again, whatever is written there. What it cannot
 * promise: anyone who can write the store can put back a value it read earlier, and other keepers
 * take it until its sealed expiry (the authorization server decides whether the token still works).
 *
 * @throws {TypeError} When nothing tells the keeper's credential apart.
 */
export function connect(store: TokenStore, settings: StoreSettings, connection: StoreConnection): TokenSource {
  const { now, requester, lockTtlMs, emit } = connection;
  const { encryptionKey, timeoutMs } = settings;
  const pause = connection.sleep ?? sleep;
  const fingerprint = credentialFingerprint(connection.clientAuth as ClientAuth);
  let material: Promise<[string | undefined, string, CryptoKey | undefined]> | undefined;
  /** Hashes of the tokens this keeper invalidated, with when no store value can carry them any more. */
  const refused = new Map<string, number>();

  function refuse(accessToken: string): void {
    const t = now();
    for (const [hash, until] of refused) if (until <= t) refused.delete(hash);
    const hash = shortHash(accessToken);
    refused.delete(hash);
    // A stored token is used only while younger than maxLifetimeMs, issued at most the skew ahead.
    refused.set(hash, t + connection.lifetime.maxLifetimeMs + maxClockSkewMs);
    if (refused.size > maxRefused) refused.delete(refused.keys().next().value!);
  }
  function fail(eventKey: string, operation: Operation, error: unknown, redactor?: Redactor): Failed {
    const message = error instanceof Error ? error.message : String(error);
    emit?.({ type: "store_error", key: eventKey, operation, message: (redactor ?? new Redactor()).excerpt(message, 200) });
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
    const [dpop, credential, macKey] = await (material ??= Promise.all([connection.keyMaterial(), fingerprint(), settings.macKey?.()]).catch((error: unknown) => {
      material = undefined; // a credential unreadable now may be read next time
      throw error;
    }));
    return storeKeyFor(JSON.stringify([query.key, dpop ?? null, credential]), macKey);
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
    const record = await requester.request(query, signal);
    if (share) await write(key, query.eventKey, record);
    return { record, source: "network" };
  }

  const found = (record: TokenRecord | undefined | Failed, exclude: readonly string[]): record is TokenRecord =>
    record !== FAILED && record !== undefined && !exclude.includes(record.accessToken) &&
    (refused.get(shortHash(record.accessToken)) ?? -Infinity) <= now() && usable(record, connection.lifetime, now());

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
      // adapters keep the holder's id as the lock's value), the new holder gets a lifetime too,
      // but the whole wait never passes two lifetimes, however often the lock changes hands.
      let holder: string | undefined;
      let waitedMs = 0;
      let budgetMs = lockTtlMs;
      let delayMs = firstPollMs;
      for (;;) {
        const lock = await attempt(eventKey, "lock", () => store.lock!(lockKey, lockTtlMs));
        if (lock === FAILED) return fetchAndShare(key, query, signal, false);
        if (lock !== undefined && lock !== null) {
          if (waitedMs > 0) emit?.({ type: "store_lock_wait", key: eventKey, waitedMs });
          return asHolder(key, query, exclude, lock, signal);
        }
        const current = await attempt(eventKey, "get", () => store.get(lockKey));
        if (typeof current === "string" && holder !== undefined && current !== holder) budgetMs = Math.min(waitedMs + lockTtlMs, 2 * lockTtlMs);
        if (typeof current === "string") holder = current;
        if (waitedMs >= budgetMs) {
          emit?.({ type: "store_lock_wait", key: eventKey, waitedMs });
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
          emit?.({ type: "store_lock_wait", key: eventKey, waitedMs });
          return { record: polled, source: "store" };
        }
      }
    },

    async discard(query, accessToken) {
      if (accessToken !== undefined) refuse(accessToken);
      try {
        const key = await storeKey(query);
        const stored = await read(key, query.eventKey);
        if (accessToken !== undefined && (stored === FAILED || stored?.accessToken !== accessToken)) return;
        if (stored !== FAILED && stored !== undefined) refuse(stored.accessToken);
        if ((await attempt(query.eventKey, "delete", () => store.delete(key))) === FAILED || stored === undefined) return;
        const tokenHash = stored === FAILED ? undefined : shortHash(stored.accessToken);
        emit?.({ type: "store_token_deleted", key: query.eventKey, tokenHash, reason: accessToken === undefined ? "cleared" : "invalidated" });
      } catch (error) {
        fail(query.eventKey, "delete", error);
      }
    },
  };
}
