/**
 * A shared token store in process memory, with an atomic lock: for keepers of one process or
 * isolate, and for tests.
 *
 * @module
 */
import { type SharedStoreOptions, sharedStore, type SharedTokenStore } from "../shared-store.ts";
import type { TokenStoreLock } from "../lib/types.ts";

export type { SharedStoreOptions, SharedTokenStore } from "../shared-store.ts";
export type { TokenStore, TokenStoreLock } from "../lib/types.ts";

/** Options of {@link memoryStore}: the clock, and the shared-store options. */
export interface MemoryStoreOptions extends SharedStoreOptions {
  /**
   * The clock entries expire by, epoch ms.
   * @default Date.now
   */
  now?: () => number;
}

/**
 * A shared token store over a `Map` in this process, with an atomic lock. Shares tokens between
 * keepers of one process or isolate (and stands in for a shared store in tests); it is not shared
 * between processes.
 *
 * @param options The clock, and the shared-store options.
 * @returns The store, ready for the keeper's `store` option.
 *
 * @example Two keepers in one process share one token
 * ```ts
 * import { createTokenKeeper } from "tokenkeeper";
 * import { memoryStore } from "tokenkeeper/stores/memory";
 *
 * const store = memoryStore();
 * const options = { tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret", store };
 * const reports = createTokenKeeper({ ...options, scope: "reports" });
 * const billing = createTokenKeeper({ ...options, scope: "billing" });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): SharedTokenStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: string; expiresAt: number }>();

  function live(key: string): string | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now()) return entry.value;
    entries.delete(key);
    return undefined;
  }

  return sharedStore({
    async get(key) {
      return live(key);
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async lock(key, ttlMs): Promise<TokenStoreLock | undefined> {
      if (live(key) !== undefined) return undefined;
      const owner = crypto.randomUUID();
      entries.set(key, { value: owner, expiresAt: now() + ttlMs });
      return {
        async release() {
          if (live(key) === owner) entries.delete(key);
        },
      };
    },
  }, options);
}
