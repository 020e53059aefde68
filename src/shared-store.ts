/**
 * Shared stores: one token per key for a fleet of processes, isolates or machines; the value of the
 * keeper's `store` option (the adapters in `tokenkeeper/stores/*` make one for you).
 *
 * @module
 */
import { storeMacKey } from "./lib/store-crypto.ts";
import { connect, connectionOf } from "./lib/store-protocol.ts";
import { type CryptoKey, type SharedTokenStore, type StoreConnector, storeFeature, type TokenStore } from "./lib/types.ts";

export type { SharedTokenStore, StoreConnector, StoreKeeper, TokenStore, TokenStoreLock } from "./lib/types.ts";

/** Options of {@link sharedStore} (and of every store adapter, which passes them on). */
export interface SharedStoreOptions {
  /**
   * AES-GCM key (a `CryptoKey` with the `encrypt` and `decrypt` usages) for tokens at rest. Every
   * member of a fleet imports the same key, for example from a base64 secret:
   * `crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"])`. Store keys
   * are then HMACs under a key derived from it, so a store reader cannot test a guessed secret.
   * @default tokens are stored as JSON, under SHA-256 store keys
   */
  encryptionKey?: CryptoKey;
  /**
   * Deadline for one store operation; past it the operation counts as failed and the keeper goes
   * on with memory.
   * @default 1000
   */
  operationTimeoutMs?: number;
}

/**
 * Shares tokens between processes, isolates or machines through a {@link TokenStore}: keys are
 * hashed, tokens can be encrypted at rest (AES-GCM), a cross-instance lock makes a fleet send one
 * token request per refresh, and a failing store degrades to memory instead of failing a call. A
 * token is shared only between keepers that would be issued the same token and may present it:
 * same endpoint, client, auth method, credential (a fingerprint of the secret, the public key's
 * thumbprint for `privateKeyJwt`, or `customClientAuth`'s `credentialId`), scope set, resource
 * set, token parameters, token type and DPoP key. With an `encryptionKey`, store keys are HMACs
 * under a key derived from it, so a store reader can neither read tokens nor test a guessed
 * secret. The store adapters (`tokenkeeper/stores/*`) call this for you.
 *
 * @param store A store: get, set with TTL, delete, and optionally an atomic lock.
 * @param options The encryption key and the store operation timeout.
 * @returns The value to pass as the keeper's `store`.
 * @throws {TypeError} When `store` lacks a method, or `encryptionKey` is not an AES-GCM key for
 *   encrypt and decrypt. A keeper given the store throws a `TypeError` when nothing tells its
 *   credential apart: `customClientAuth()` without `credentialId`, or `privateKeyJwt()` with a
 *   non-extractable private key and no public key.
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
  let macKey: Promise<CryptoKey> | undefined;
  const keys = { encryptionKey, macKey: encryptionKey && (() => (macKey ??= storeMacKey(encryptionKey))), timeoutMs };
  return Object.freeze({
    get: (key: string) => store.get(key),
    set: (key: string, value: string, ttlMs: number) => store.set(key, value, ttlMs),
    delete: (key: string) => store.delete(key),
    ...(store.lock ? { lock: (key: string, ttlMs: number) => store.lock!(key, ttlMs) } : {}),
    [storeFeature]: ((keeper, requester) => connect(store, keys, connectionOf(keeper, requester))) satisfies StoreConnector,
  });
}

function isAesGcmKey(value: unknown): boolean {
  const key = value as Partial<CryptoKey> | null;
  return typeof key === "object" && key !== null && key.type === "secret" && key.algorithm?.name === "AES-GCM" &&
    Array.isArray(key.usages) && key.usages.includes("encrypt") && key.usages.includes("decrypt");
}

