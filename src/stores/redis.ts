/**
 * A shared token store on Redis (node-redis v5, ioredis, or any client with a raw command
 * method), with an atomic `SET NX PX` lock, so a fleet sends one token request per refresh.
 *
 * @module
 */
import { type SharedStoreOptions, sharedStore, type SharedTokenStore } from "../shared-store.ts";
import type { TokenStoreLock } from "../lib/types.ts";

export type { SharedStoreOptions, SharedTokenStore } from "../shared-store.ts";
export type { TokenStore, TokenStoreLock } from "../lib/types.ts";

/** The part of a node-redis v5 client (`createClient()`) that {@link redisStore} uses. */
export interface NodeRedisClientLike {
  /** Sends one raw command, e.g. `["SET", key, value, "PX", "1000"]`. */
  sendCommand(args: string[]): Promise<unknown>;
}

/** The part of an ioredis client (`new Redis()`) that {@link redisStore} uses. */
export interface IoRedisClientLike {
  /** Sends one raw command, e.g. `call("SET", key, value, "PX", "1000")`. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** A Redis client {@link redisStore} accepts: node-redis v5 or ioredis, told apart at construction. */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/** Options of {@link redisStore}: the key prefix and the shared-store options. */
export interface RedisStoreOptions extends SharedStoreOptions {
  /**
   * Prepended to every key (tokens and locks), to share a database with other applications.
   * @default ""
   */
  prefix?: string;
}

// Deletes the lock only if it still holds this owner's value (a lock that expired and was taken by
// another instance is left alone).
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/**
 * A shared token store on Redis. Values are written with `SET … PX`, so Redis expires them. The
 * lock is atomic: `SET key owner NX PX ttl`, released by a Lua compare-and-delete, so one
 * instance of a fleet requests a token while the others wait for it.
 *
 * The client is used through its raw command method (node-redis `sendCommand`, ioredis `call`),
 * so no Redis package is a dependency of tokenkeeper; connect it before the first `getToken()`.
 * Pass a client that fails fast when disconnected (node-redis `disableOfflineQueue: true`,
 * ioredis `enableOfflineQueue: false`) so an outage costs no wait; otherwise commands queue and
 * the keeper's store timeout bounds the wait.
 *
 * @param client A connected node-redis v5 or ioredis client.
 * @param options The key prefix, and the shared-store options (`encryptionKey`).
 * @returns The store, ready for the keeper's `store` option.
 * @throws {TypeError} When `client` has neither `call` nor `sendCommand`.
 *
 * @example node-redis
 * ```ts
 * import { createClient } from "redis";
 * import { createTokenKeeper } from "tokenkeeper";
 * import { redisStore } from "tokenkeeper/stores/redis";
 *
 * const redis = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const keeper = createTokenKeeper({
 *   tokenEndpoint: "https://as.example/token",
 *   clientId: "my-client",
 *   clientSecret: "my-secret",
 *   store: redisStore(redis),
 * });
 * ```
 *
 * @example ioredis
 * ```ts
 * import { Redis } from "ioredis";
 * import { redisStore } from "tokenkeeper/stores/redis";
 *
 * const store = redisStore(new Redis("redis://127.0.0.1:6379"), { prefix: "billing:" });
 * ```
 */
export function redisStore(client: RedisClientLike, options: RedisStoreOptions = {}): SharedTokenStore {
  const prefix = options.prefix ?? "";
  if (typeof prefix !== "string") throw new TypeError(`redisStore: prefix must be a string, got ${typeof prefix}`);
  const send = commandSender(client);

  return sharedStore({
    async get(key) {
      const value = await send(["GET", prefix + key]);
      if (value === null || value === undefined) return undefined;
      return String(value);
    },
    async set(key, value, ttlMs) {
      await send(["SET", prefix + key, value, "PX", String(wholeMs(ttlMs))]);
    },
    async delete(key) {
      await send(["DEL", prefix + key]);
    },
    async lock(key, ttlMs): Promise<TokenStoreLock | undefined> {
      const owner = crypto.randomUUID();
      const reply = await send(["SET", prefix + key, owner, "NX", "PX", String(wholeMs(ttlMs))]);
      if (reply === null || reply === undefined) return undefined;
      return {
        async release() {
          await send(["EVAL", RELEASE, "1", prefix + key, owner]);
        },
      };
    },
  }, options);
}

function commandSender(client: RedisClientLike): (args: string[]) => Promise<unknown> {
  // ioredis also has a `sendCommand`, taking a Command object: test for its `call` first.
  if (typeof (client as Partial<IoRedisClientLike>).call === "function") {
    const io = client as IoRedisClientLike;
    return ([command, ...args]) => io.call(command!, ...args);
  }
  if (typeof (client as Partial<NodeRedisClientLike>).sendCommand === "function") {
    const node = client as NodeRedisClientLike;
    return (args) => node.sendCommand(args);
  }
  throw new TypeError("redisStore: client must be a node-redis v5 client (sendCommand) or an ioredis client (call)");
}

function wholeMs(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
