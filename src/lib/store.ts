/**
 * A lock held on a {@link TokenStore} key; released by its owner only.
 */
export interface TokenStoreLock {
  /** Releases the lock if this holder still owns it (compare-and-delete). */
  release(): Promise<void>;
}

/**
 * Where tokens are shared between processes, isolates or machines; {@link sharedStore} turns one
 * into a keeper's `store` (the adapters in `tokenkeeper/stores/*` do it for you). Values are opaque strings
 * (serialised, and encrypted when the store has an `encryptionKey`); keys are hashes that name no client.
 *
 * The in-memory layer always stays in front of a store, so a fresh token is served without a
 * store round trip, and a failing store degrades to memory instead of failing a call.
 *
 * @example A store over a `Map`, for illustration
 * ```ts
 * import type { TokenStore } from "tokenkeeper";
 *
 * const map = new Map<string, string>();
 * const store: TokenStore = {
 *   get: async (key) => map.get(key),
 *   set: async (key, value) => void map.set(key, value),
 *   delete: async (key) => void map.delete(key),
 * };
 * ```
 */
export interface TokenStore {
  /** Reads a value, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Writes a value that the store drops after `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes a value; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Tries to take a lock that expires after `ttlMs` milliseconds. Resolves to the lock, or to
   * `undefined` when another holder has it. Stores without an atomic primitive may omit it or
   * implement it on a best-effort basis (and say so).
   */
  lock?(key: string, ttlMs: number): Promise<TokenStoreLock | undefined>;
}
