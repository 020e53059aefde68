/**
 * A shared token store on a Cloudflare Durable Object, with an atomic lock, so that a fleet of
 * Worker isolates sends one token request per refresh. Export {@link TokenStoreObject} from your
 * Worker, bind it in `wrangler.toml`, and pass the binding to {@link durableObjectStore}.
 *
 * When to use it over Workers KV: a Durable Object is strongly consistent and runs one request
 * at a time, so its lock is a real one (two isolates never both hold it) and a token written by
 * one isolate is read by the next at once; Workers KV is eventually consistent (its lock only
 * thins a stampede) but reads are served from the edge. Every store operation is a request to the
 * one object, wherever it lives: a few ms in its own location, up to a few hundred ms from the
 * far side of the world. That is paid on a cold start and at a refresh only (the hot path is
 * memory), and each costs a handful of Durable Object requests per isolate.
 *
 * @module
 */
import { type SharedStoreOptions, sharedStore, type SharedTokenStore } from "../shared-store.ts";
import type { TokenStore, TokenStoreLock } from "../lib/types.ts";

export type { SharedStoreOptions, SharedTokenStore } from "../shared-store.ts";
export type { TokenStore, TokenStoreLock } from "../lib/types.ts";

/** The part of a Durable Object stub that {@link durableObjectStore} uses. */
export interface DurableObjectStubLike {
  /** Sends a request to the object. */
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object id (`DurableObjectId`), opaque here. */
export interface DurableObjectIdLike {
  /** The id as a hex string. */
  toString(): string;
}

/** The part of a `DurableObjectNamespace` binding that {@link durableObjectStore} uses. */
export interface DurableObjectNamespaceLike {
  /** The id of the object with this name. */
  idFromName(name: string): DurableObjectIdLike;
  /** A stub for the object with this id. */
  get(id: DurableObjectIdLike): DurableObjectStubLike;
}

/** The part of a Durable Object's `ctx.storage` that {@link TokenStoreObject} uses. */
export interface DurableObjectStorageLike {
  /** Reads a value; `undefined` when absent. */
  get(key: string): Promise<unknown>;
  /** Writes a value. */
  put(key: string, value: StoredValue): Promise<void>;
  /** Deletes a value. */
  delete(key: string): Promise<unknown>;
  /** Every entry. */
  list(): Promise<Map<string, unknown>>;
  /** When the object's alarm is due (epoch ms), or `null` when none is set. */
  getAlarm(): Promise<number | null>;
  /** Sets the object's alarm; the runtime then calls its `alarm()` method. */
  setAlarm(scheduledTime: number): Promise<void>;
}

/** The part of a Durable Object's state (`ctx`) that {@link TokenStoreObject} uses. */
export interface DurableObjectStateLike {
  /** The object's own storage. */
  readonly storage: DurableObjectStorageLike;
}

/** A value as {@link TokenStoreObject} keeps it: the value and when it expires (epoch ms). */
export interface StoredValue {
  /** The stored value: a (sealed) token, or a lock holder's id. */
  readonly value: string;
  /** When the value expires, epoch ms by the object's clock. */
  readonly expiresAt: number;
}

/** Options of {@link durableObjectStore}: the object's name, and the shared-store options. */
export interface DurableObjectStoreOptions extends SharedStoreOptions {
  /**
   * The name of the object that holds the tokens (`namespace.idFromName(name)`). Keepers that
   * share tokens must use the same name; the object's storage is kept apart per name.
   * @default "tokenkeeper"
   */
  name?: string;
}

/** The longest a value or a lock lives in a {@link TokenStoreObject}: 24 hours. */
const maxTtlMs = 86_400_000;

/** One store operation, as sent to the object. */
type Operation =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "set"; readonly key: string; readonly value: string; readonly ttlMs: number }
  | { readonly op: "delete"; readonly key: string }
  | { readonly op: "lock"; readonly key: string; readonly owner: string; readonly ttlMs: number }
  | { readonly op: "release"; readonly key: string; readonly owner: string };

/** What the object answers: the value read, or whether a lock was taken. */
interface Answer {
  readonly value?: string | undefined;
  readonly ok?: boolean;
}

/**
 * A shared token store on a Durable Object (see {@link TokenStoreObject}). The lock is atomic:
 * the object handles one request at a time, so exactly one isolate of a fleet takes it and
 * requests a token while the others wait for the token it writes. A holder that dies (its
 * request ends mid-refresh) holds the lock until it expires, after the keeper's lock lifetime
 * (10 s, or twice `timeoutMs`); the keeper's `waitUntil` lets a refresh finish after its request
 * ends, so that this rarely happens.
 *
 * A stub is made for each operation: a stub belongs to the incoming request that made it, and
 * the keeper serves many.
 *
 * @param namespace The Durable Object namespace binding (`env.TOKEN_STORE`), bound to
 *   {@link TokenStoreObject}.
 * @param options The object's name, and the shared-store options (`encryptionKey`).
 * @returns The store, ready for the keeper's `store` option.
 * @throws {TypeError} When `namespace` is not a Durable Object namespace, or `name` not a string.
 *
 * @example A Worker whose whole fleet shares one token
 * ```ts
 * import { createTokenKeeper } from "tokenkeeper";
 * import { type DurableObjectNamespaceLike, durableObjectStore } from "tokenkeeper/stores/durable-object";
 *
 * // The object the fleet shares; wrangler.toml binds it as TOKEN_STORE.
 * export { TokenStoreObject } from "tokenkeeper/stores/durable-object";
 *
 * // In a Worker: import { env, waitUntil } from "cloudflare:workers";
 * declare const env: { CLIENT_ID: string; CLIENT_SECRET: string; TOKEN_STORE: DurableObjectNamespaceLike };
 * declare function waitUntil(promise: Promise<unknown>): void;
 *
 * const api = createTokenKeeper({
 *   tokenEndpoint: "https://as.example/token",
 *   clientId: env.CLIENT_ID,
 *   clientSecret: env.CLIENT_SECRET,
 *   baseUrl: "https://api.example",
 *   store: durableObjectStore(env.TOKEN_STORE),
 *   waitUntil,
 * });
 *
 * export default { fetch: (request: Request) => api.fetch(`/v2${new URL(request.url).pathname}`) };
 * ```
 */
export function durableObjectStore(namespace: DurableObjectNamespaceLike, options: DurableObjectStoreOptions = {}): SharedTokenStore {
  if (typeof namespace?.idFromName !== "function" || typeof namespace.get !== "function") {
    throw new TypeError("durableObjectStore: namespace must be a Durable Object namespace binding (idFromName, get)");
  }
  const name = options.name ?? "tokenkeeper";
  if (typeof name !== "string") throw new TypeError(`durableObjectStore: name must be a string, got ${typeof name}`);

  async function send(operation: Operation): Promise<Answer> {
    const stub = namespace.get(namespace.idFromName(name));
    const response = await stub.fetch(new Request("https://token-store.tokenkeeper.invalid/", { method: "POST", body: JSON.stringify(operation) }));
    if (!response.ok) throw new Error(`token store object answered ${response.status} to ${operation.op}`);
    return (await response.json()) as Answer;
  }

  const store: TokenStore = {
    async get(key) {
      return (await send({ op: "get", key })).value;
    },
    async set(key, value, ttlMs) {
      await send({ op: "set", key, value, ttlMs });
    },
    async delete(key) {
      await send({ op: "delete", key });
    },
    async lock(key, ttlMs): Promise<TokenStoreLock | undefined> {
      const owner = crypto.randomUUID();
      if ((await send({ op: "lock", key, owner, ttlMs })).ok !== true) return undefined;
      return {
        async release() {
          await send({ op: "release", key, owner });
        },
      };
    },
  };
  return sharedStore(store, options);
}

/**
 * The Durable Object that holds a fleet's shared tokens and locks for {@link durableObjectStore}.
 * Export it from your Worker and bind it in `wrangler.toml` (a SQLite-backed class, which the
 * free plan allows too). Values live in the object's storage with their expiry, and an expired
 * value reads as absent; each operation is read-check-write within one request, which the
 * object's input gate keeps from interleaving with any other: that makes the lock atomic.
 *
 * Its storage stays bounded: a value or a lock lives at most 24 hours (a longer TTL is cut to
 * that; a token that lives longer is requested again, once per fleet), and the object's alarm
 * deletes expired entries when the first of them expires, then sets itself for the next. The
 * object uses its alarm for nothing else.
 *
 * @example Its wrangler.toml
 * ```toml
 * [[durable_objects.bindings]]
 * name = "TOKEN_STORE"
 * class_name = "TokenStoreObject"
 *
 * [[migrations]]
 * tag = "v1"
 * new_sqlite_classes = ["TokenStoreObject"]
 * ```
 */
export class TokenStoreObject {
  readonly #storage: DurableObjectStorageLike;

  /**
   * Called by the runtime.
   *
   * @param state The object's state (`ctx`), with its storage.
   */
  constructor(state: DurableObjectStateLike) {
    this.#storage = state.storage;
  }

  /**
   * Serves one store operation sent by {@link durableObjectStore}.
   *
   * @param request A `POST` whose body is the operation, as JSON.
   * @returns The answer, as JSON; `400` for anything that is not an operation.
   */
  async fetch(request: Request): Promise<Response> {
    const operation = operationOf(request.method === "POST" ? await request.json().catch(() => undefined) : undefined);
    if (operation === undefined) return new Response("not a token store operation", { status: 400 });
    return Response.json(await this.#run(operation));
  }

  /**
   * Called by the runtime when the alarm is due: deletes every expired entry, and sets the alarm
   * for the next expiry.
   */
  async alarm(): Promise<void> {
    const now = Date.now();
    let next = Infinity;
    for (const [key, stored] of await this.#storage.list()) {
      const expiresAt = (stored as Partial<StoredValue> | undefined)?.expiresAt;
      if (typeof expiresAt === "number" && expiresAt > now) next = Math.min(next, expiresAt);
      else await this.#storage.delete(key);
    }
    if (next < Infinity) await this.#storage.setAlarm(next);
  }

  async #run(operation: Operation): Promise<Answer> {
    const now = Date.now();
    const { key } = operation;
    switch (operation.op) {
      case "get":
        return { value: await this.#live(key, now) };
      case "set":
        await this.#put(key, operation.value, now + Math.min(operation.ttlMs, maxTtlMs));
        return {};
      case "delete":
        await this.#storage.delete(key);
        return {};
      case "lock":
        if ((await this.#live(key, now)) !== undefined) return { ok: false };
        await this.#put(key, operation.owner, now + Math.min(operation.ttlMs, maxTtlMs));
        return { ok: true };
      case "release":
        if ((await this.#live(key, now)) === operation.owner) await this.#storage.delete(key);
        return {};
    }
  }

  /** Writes a value, and brings the alarm forward to its expiry if that comes first. */
  async #put(key: string, value: string, expiresAt: number): Promise<void> {
    await this.#storage.put(key, { value, expiresAt });
    const alarm = await this.#storage.getAlarm();
    if (alarm === null || expiresAt < alarm) await this.#storage.setAlarm(expiresAt);
  }

  /** The value under `key` unless it has expired (an expired one is deleted). */
  async #live(key: string, now: number): Promise<string | undefined> {
    const stored = (await this.#storage.get(key)) as StoredValue | undefined;
    if (stored === undefined) return undefined;
    if (stored.expiresAt > now) return stored.value;
    await this.#storage.delete(key);
    return undefined;
  }
}

function operationOf(body: unknown): Operation | undefined {
  const o = body as Partial<Record<string, unknown>> | null | undefined;
  if (typeof o !== "object" || o === null || typeof o["key"] !== "string") return undefined;
  const ttlOk = typeof o["ttlMs"] === "number" && Number.isFinite(o["ttlMs"]) && o["ttlMs"] > 0;
  switch (o["op"]) {
    case "get":
    case "delete":
      return o as Operation;
    case "set":
      return typeof o["value"] === "string" && ttlOk ? (o as Operation) : undefined;
    case "lock":
      return typeof o["owner"] === "string" && ttlOk ? (o as Operation) : undefined;
    case "release":
      return typeof o["owner"] === "string" ? (o as Operation) : undefined;
    default:
      return undefined;
  }
}
