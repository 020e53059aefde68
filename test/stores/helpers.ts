// Shared pieces of the store tests: token records, event capture, stores that fail on purpose.
import type { ClientAuth } from "../../src/lib/auth.ts";
import { credentialFingerprint } from "../../src/lib/fingerprint.ts";
import type { TokenKeeperEvent } from "../../src/lib/events.ts";
import { connect } from "../../src/lib/store-protocol.ts";
import type { ClientAuthentication, TokenStore } from "../../src/lib/types.ts";
import { clientSecretPost } from "../../mod.ts";
import { storeKeyFor, storeMacKey } from "../../src/lib/store-crypto.ts";
import type { TokenRecord } from "../../src/lib/token.ts";

let serial = 0;

/** A token record issued at `now` that lives `lifetimeMs`, with a fresh random token value. */
export function record(now: number, lifetimeMs = 300_000): TokenRecord {
  serial += 1;
  return {
    accessToken: `at-${serial}-${crypto.randomUUID()}`,
    tokenType: "Bearer",
    expiresAt: now + lifetimeMs,
    issuedAt: now,
    scope: "read",
  };
}

/** Collects events; `of(type)` returns the events of one type. */
export function eventLog(): { emit: (event: TokenKeeperEvent) => void; events: TokenKeeperEvent[]; of: <T extends TokenKeeperEvent["type"]>(type: T) => Extract<TokenKeeperEvent, { type: T }>[] } {
  const events: TokenKeeperEvent[] = [];
  return {
    emit: (event) => void events.push(event),
    events,
    of: (type) => events.filter((e) => e.type === type) as never,
  };
}

/** Gives the event loop turns until `condition()` holds (a store's crypto or I/O completes). */
export async function until(condition: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  if (!condition()) throw new Error("condition not reached");
}

/** A store whose every operation is replaced by `behaviour` for the operations listed. */
export function brokenStore(
  inner: TokenStore,
  broken: readonly ("get" | "set" | "delete" | "lock")[],
  behaviour: "reject" | "hang",
  message = "connection refused",
): TokenStore {
  const fail = (): Promise<never> => behaviour === "reject" ? Promise.reject(new Error(message)) : new Promise<never>(() => {});
  return {
    get: (key) => broken.includes("get") ? fail() : inner.get(key),
    set: (key, value, ttlMs) => broken.includes("set") ? fail() : inner.set(key, value, ttlMs),
    delete: (key) => broken.includes("delete") ? fail() : inner.delete(key),
    lock: (key, ttlMs) => broken.includes("lock") ? fail() : inner.lock!(key, ttlMs),
  };
}

/** Wraps a store and records every write as `[key, value, ttlMs]`. */
export function recordingStore(inner: TokenStore): { store: TokenStore; writes: [string, string, number][] } {
  const writes: [string, string, number][] = [];
  return {
    writes,
    store: {
      get: (key) => inner.get(key),
      set: (key, value, ttlMs) => (writes.push([key, value, ttlMs]), inner.set(key, value, ttlMs)),
      delete: (key) => inner.delete(key),
      lock: (key, ttlMs) => inner.lock!(key, ttlMs),
    },
  };
}

/** Options of {@link storeSession}: the store, and the keeper side of the connection. */
export interface SessionOptions {
  store: TokenStore;
  encryptionKey?: CryptoKey | undefined;
  now: () => number;
  emit: (event: TokenKeeperEvent) => void;
  lockTtlMs?: number;
  storeTimeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The keeper's client authentication. @default clientSecretPost(SESSION_SECRET) */
  clientAuth?: ClientAuthentication;
}

/** The client secret of a {@link storeSession} unless given another client authentication. */
export const SESSION_SECRET = "session-secret-4f1c";

/** Stored tokens count as usable until 60 s before expiry (a 300 s token's soft window). */
const lifetime = { refreshWindowMs: 60_000, expiryMarginMs: 0, defaultLifetimeMs: 300_000, maxLifetimeMs: 86_400_000 };

/**
 * A keeper's connection to a shared store, as one instance of a fleet: `obtain(cacheKey, eventKey,
 * fetchToken)` gets a token through the store protocol, calling `fetchToken` when the store has
 * none.
 */
export function storeSession(options: SessionOptions) {
  let fetchToken: () => Promise<TokenRecord> = () => Promise.reject(new Error("no fetchToken"));
  // The protocol as sharedStore() connects it, with the test's own sleep between lock polls.
  const { encryptionKey } = options;
  const settings = { encryptionKey, macKey: encryptionKey && (() => storeMacKey(encryptionKey)), timeoutMs: options.storeTimeoutMs ?? 1_000 };
  const source = connect(options.store, settings, {
    now: options.now,
    emit: options.emit,
    lifetime,
    lockTtlMs: options.lockTtlMs ?? 10_000,
    keyMaterial: async () => undefined,
    clientAuth: options.clientAuth ?? clientSecretPost(SESSION_SECRET),
    requester: { request: () => fetchToken() },
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const query = (key: string, eventKey: string) => ({ key, eventKey, scope: [], resource: [] });
  return {
    obtain(cacheKey: string, eventKey: string, fetch: () => Promise<TokenRecord>, signal?: AbortSignal) {
      fetchToken = fetch;
      return source.obtain(query(cacheKey, eventKey), [], signal ?? new AbortController().signal);
    },
    remove(cacheKey: string, eventKey: string, accessToken?: string) {
      return source.discard(query(cacheKey, eventKey), accessToken);
    },
  };
}

/**
 * The key a shared store writes a cache key's token under (no DPoP key), for a client
 * authentication (by default the session's secret) and an encryption key.
 */
export async function storeKeyOf(cacheKey: string, clientAuth = clientSecretPost(SESSION_SECRET), encryptionKey?: CryptoKey): Promise<string> {
  const credential = await credentialFingerprint(clientAuth as ClientAuth)();
  return storeKeyFor(JSON.stringify([cacheKey, null, credential]), encryptionKey && await storeMacKey(encryptionKey));
}
