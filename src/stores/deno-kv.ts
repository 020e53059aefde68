/**
 * A shared token store on Deno KV, with a versionstamp compare-and-swap lock.
 *
 * @module
 */
import { type SharedStoreOptions, sharedStore, type SharedTokenStore } from "../shared-store.ts";
import type { TokenStoreLock } from "../lib/types.ts";

export type { SharedStoreOptions, SharedTokenStore } from "../shared-store.ts";
export type { TokenStore, TokenStoreLock } from "../lib/types.ts";

/** A Deno KV key as {@link denoKvStore} writes it: string parts. */
export type DenoKvKeyLike = readonly string[];

/** The part of a `Deno.Kv` (from `Deno.openKv()`) that {@link denoKvStore} uses. */
export interface DenoKvLike {
  /** Reads an entry; `versionstamp` is `null` when there is none. */
  get(key: DenoKvKeyLike): Promise<{ value: unknown; versionstamp: string | null }>;
  /** Writes an entry that expires after `expireIn` ms. */
  set(key: DenoKvKeyLike, value: string, options?: { expireIn?: number }): Promise<unknown>;
  /** Deletes an entry. */
  delete(key: DenoKvKeyLike): Promise<void>;
  /** Starts an atomic operation. */
  atomic(): DenoKvAtomicLike;
}

/** The part of a `Deno.AtomicOperation` that {@link denoKvStore} uses. */
export interface DenoKvAtomicLike {
  /** Makes the commit fail unless each key still has this versionstamp (`null`: absent). */
  check(...checks: { key: DenoKvKeyLike; versionstamp: string | null }[]): DenoKvAtomicLike;
  /** Writes an entry when the checks pass. */
  set(key: DenoKvKeyLike, value: string, options?: { expireIn?: number }): DenoKvAtomicLike;
  /** Deletes an entry when the checks pass. */
  delete(key: DenoKvKeyLike): DenoKvAtomicLike;
  /** Applies the operation; `ok` is `false` when a check failed. */
  commit(): Promise<{ ok: boolean }>;
}

/** Options of {@link denoKvStore}: the key prefix, the clock, and the shared-store options. */
export interface DenoKvStoreOptions extends SharedStoreOptions {
  /**
   * Key parts put before every key, to share a database with other data.
   * @default ["tokenkeeper"]
   */
  prefix?: readonly string[];
  /**
   * The clock lock deadlines are written with, epoch ms.
   * @default Date.now
   */
  now?: () => number;
}

/**
 * A shared token store on Deno KV (`Deno.openKv()`, local or on Deno Deploy). Values are written
 * with `expireIn`. The lock is a compare-and-swap on the lock entry's versionstamp
 * (`kv.atomic().check()`), so two instances never both take it; it carries its own deadline,
 * because Deno KV deletes expired keys lazily, and that deadline is read against each instance's
 * local clock: clock skew between instances shortens or lengthens a dead holder's lock.
 *
 * @param kv An open `Deno.Kv`.
 * @param options Key prefix, clock, and the shared-store options (`encryptionKey`).
 * @returns The store, ready for the keeper's `store` option.
 *
 * @example Deno KV
 * ```ts
 * import { createTokenKeeper } from "tokenkeeper";
 * import { denoKvStore } from "tokenkeeper/stores/deno-kv";
 *
 * const keeper = createTokenKeeper({
 *   tokenEndpoint: "https://as.example/token",
 *   clientId: "my-client",
 *   clientSecret: "my-secret",
 *   store: denoKvStore(await Deno.openKv()),
 * });
 * ```
 */
export function denoKvStore(kv: DenoKvLike, options: DenoKvStoreOptions = {}): SharedTokenStore {
  const prefix = [...(options.prefix ?? ["tokenkeeper"])];
  const now = options.now ?? Date.now;
  const keyOf = (key: string): string[] => [...prefix, key];

  return sharedStore({
    async get(key) {
      const { value } = await kv.get(keyOf(key));
      return typeof value === "string" ? value : undefined;
    },
    async set(key, value, ttlMs) {
      await kv.set(keyOf(key), value, { expireIn: Math.max(1, Math.ceil(ttlMs)) });
    },
    async delete(key) {
      await kv.delete(keyOf(key));
    },
    async lock(key, ttlMs): Promise<TokenStoreLock | undefined> {
      const lockKey = keyOf(key);
      const current = await kv.get(lockKey);
      if (current.versionstamp !== null && deadlineOf(current.value) > now()) return undefined;
      const owner = crypto.randomUUID();
      const ttl = Math.max(1, Math.ceil(ttlMs));
      let taken: { ok: boolean };
      try {
        taken = await kv.atomic()
          .check({ key: lockKey, versionstamp: current.versionstamp })
          .set(lockKey, `${owner} ${now() + ttl}`, { expireIn: ttl })
          .commit();
      } catch (error) {
        // A local KV file shared by processes: SQLite refuses a write while another one commits.
        if (error instanceof Error && /database is locked/.test(error.message)) return undefined;
        throw error;
      }
      if (!taken.ok) return undefined;
      return {
        async release() {
          const held = await kv.get(lockKey);
          if (typeof held.value !== "string" || !held.value.startsWith(`${owner} `)) return;
          await kv.atomic().check({ key: lockKey, versionstamp: held.versionstamp }).delete(lockKey).commit();
        },
      };
    },
  }, options);
}

function deadlineOf(value: unknown): number {
  if (typeof value !== "string") return 0;
  const deadline = Number(value.slice(value.indexOf(" ") + 1));
  return Number.isFinite(deadline) ? deadline : 0;
}
