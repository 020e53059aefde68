/**
 * A shared token store on Cloudflare Workers KV (eventually consistent; the lock is best effort).
 *
 * @module
 */
import { type SharedStoreOptions, sharedStore, type SharedTokenStore } from "../shared-store.ts";
import type { TokenStore, TokenStoreLock } from "../lib/types.ts";

export type { SharedStoreOptions, SharedTokenStore } from "../shared-store.ts";
export type { TokenStore, TokenStoreLock } from "../lib/types.ts";

/** The part of a Cloudflare Workers `KVNamespace` binding that {@link workersKvStore} uses. */
export interface WorkersKvNamespaceLike {
  /** Reads a value as text, `null` when absent. */
  get(key: string): Promise<string | null>;
  /** Writes a value that expires after `expirationTtl` seconds (60 at least). */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  /** Deletes a value. */
  delete(key: string): Promise<void>;
}

/** Options of {@link workersKvStore}: the key prefix, the lock, and the shared-store options. */
export interface WorkersKvStoreOptions extends SharedStoreOptions {
  /**
   * Prepended to every key.
   * @default ""
   */
  prefix?: string;
  /**
   * Adds a best-effort refresh lock: write the lock, read it back, keep it if it is still ours.
   * Workers KV has no atomic primitive and is eventually consistent (a write can take 60 s or more
   * to reach other locations, and a key takes one write per second), so two isolates can both
   * take it, above all across locations: it thins a stampede, it does not prevent one. For a lock
   * that holds, use `tokenkeeper/stores/durable-object`.
   * @default false: every isolate that finds no usable token in KV requests one
   */
  bestEffortLock?: boolean;
  /**
   * The clock lock deadlines are written with, epoch ms.
   * @default Date.now
   */
  now?: () => number;
}

/** Workers KV refuses an `expirationTtl` under 60 seconds. */
const MIN_TTL_S = 60;

/**
 * A shared token store on a Cloudflare Workers KV namespace. Values are written with
 * `expirationTtl` (at least 60 s, the KV minimum; the keeper never serves a stored token past its
 * expiry). Workers KV is eventually consistent, so a token written in one location may take a
 * while to be seen in others; without `bestEffortLock` there is no cross-isolate lock.
 *
 * @param namespace A KV namespace binding (`env.TOKENS`).
 * @param options Key prefix, best-effort lock, clock, and the shared-store options (`encryptionKey`).
 * @returns The store, ready for the keeper's `store` option.
 *
 * @example Workers KV
 * ```ts
 * import { createTokenKeeper, type TokenKeeper } from "tokenkeeper";
 * import { type WorkersKvNamespaceLike, workersKvStore } from "tokenkeeper/stores/workers-kv";
 *
 * interface Env {
 *   CLIENT_SECRET: string;
 *   TOKENS: WorkersKvNamespaceLike; // a KVNamespace binding
 * }
 *
 * let keeper: TokenKeeper | undefined; // one per isolate, made on the first request
 *
 * export default {
 *   async fetch(_request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
 *     keeper ??= createTokenKeeper({
 *       tokenEndpoint: "https://as.example/token",
 *       clientId: "my-client",
 *       clientSecret: env.CLIENT_SECRET,
 *       baseUrl: "https://api.example",
 *       store: workersKvStore(env.TOKENS),
 *     });
 *     await keeper.getToken({ waitUntil: ctx.waitUntil.bind(ctx) }); // this request keeps a refresh alive
 *     return keeper.fetch("/v2/resource");
 *   },
 * };
 * ```
 */
export function workersKvStore(namespace: WorkersKvNamespaceLike, options: WorkersKvStoreOptions = {}): SharedTokenStore {
  const prefix = options.prefix ?? "";
  const now = options.now ?? Date.now;
  const expirationTtl = (ttlMs: number): number => Math.max(MIN_TTL_S, Math.ceil(ttlMs / 1000));

  const store: TokenStore = {
    async get(key) {
      return (await namespace.get(prefix + key)) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await namespace.put(prefix + key, value, { expirationTtl: expirationTtl(ttlMs) });
    },
    async delete(key) {
      await namespace.delete(prefix + key);
    },
  };
  if (options.bestEffortLock !== true) return sharedStore(store, options);

  store.lock = async (key, ttlMs): Promise<TokenStoreLock | undefined> => {
    const lockKey = prefix + key;
    if (deadlineOf(await namespace.get(lockKey)) > now()) return undefined;
    const owner = crypto.randomUUID();
    try {
      await namespace.put(lockKey, `${owner} ${now() + Math.ceil(ttlMs)}`, { expirationTtl: expirationTtl(ttlMs) });
    } catch {
      // KV takes one write per second per key: a refused write means another isolate is locking.
      return undefined;
    }
    if ((await namespace.get(lockKey))?.startsWith(`${owner} `) !== true) return undefined;
    return {
      async release() {
        if ((await namespace.get(lockKey))?.startsWith(`${owner} `) === true) await namespace.delete(lockKey);
      },
    };
  };
  return sharedStore(store, options);
}

function deadlineOf(value: string | null): number {
  if (value === null) return 0;
  const deadline = Number(value.slice(value.indexOf(" ") + 1));
  return Number.isFinite(deadline) ? deadline : 0;
}
