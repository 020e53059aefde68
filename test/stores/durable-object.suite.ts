// Durable Object adapter against a real Durable Object namespace in workerd. Loaded inside a
// worker by test/stores/durable-object.node.ts; the worker exports TokenStoreObject and its env
// (with the TOKEN_STORE binding) is on globalThis.__tokenkeeperEnv.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type DurableObjectNamespaceLike, durableObjectStore } from "../../src/stores/durable-object.ts";
import { storeContract } from "./contract.ts";
import { credentialContract } from "./credentials.ts";

const env = (globalThis as { __tokenkeeperEnv?: { TOKEN_STORE?: DurableObjectNamespaceLike; INSPECTED_STORE?: DurableObjectNamespaceLike } }).__tokenkeeperEnv;
const namespace = env?.TOKEN_STORE;
const inspected = env?.INSPECTED_STORE;
if (namespace === undefined || inspected === undefined) throw new Error("no Durable Object namespace binding: run through test/stores/durable-object.node.ts");

// The object keeps time by its own clock: a lock expires by waiting out its real lifetime.
storeContract("Durable Object", durableObjectStore(namespace, { name: "contract" }), {
  lockTtlMs: 300,
  expireLocks: () => new Promise((resolve) => setTimeout(resolve, 400)),
  atomicLock: true,
});

credentialContract("Durable Object", (options) => durableObjectStore(namespace, { name: `credentials-${crypto.randomUUID()}`, ...options }));

const test = suite("Durable Object adapter");

const post = (body: unknown, method = "POST"): Promise<Response> =>
  namespace.get(namespace.idFromName("raw")).fetch(new Request("https://token-store.test/", { method, ...(method === "POST" ? { body: JSON.stringify(body) } : {}) }));

test("a value reads as absent once its time to live has passed", async () => {
  const store = durableObjectStore(namespace, { name: "ttl" });
  await store.set("short", "v1", 150);
  await store.set("long", "v2", 60_000);
  assert.is(await store.get("short"), "v1");
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.is(await store.get("short"), undefined);
  assert.is(await store.get("long"), "v2");
});

test("stores with different names keep their values apart", async () => {
  await durableObjectStore(namespace, { name: "one" }).set("k", "from one", 60_000);
  assert.is(await durableObjectStore(namespace, { name: "two" }).get("k"), undefined);
  assert.is(await durableObjectStore(namespace, { name: "one" }).get("k"), "from one");
});

test("the lock's value names its holder, as the keeper's lock wait reads it", async () => {
  const store = durableObjectStore(namespace, { name: "holder" });
  const lock = await store.lock!("k:lock", 60_000);
  assert.ok(lock);
  assert.match(String(await store.get("k:lock")), /^[0-9a-f-]{36}$/);
  await lock.release();
  assert.is(await store.get("k:lock"), undefined);
});

test("the object refuses anything that is not a store operation", async () => {
  for (const [body, method] of [[undefined, "GET"], [{ op: "drop", key: "k" }, "POST"], [{ op: "set", key: "k", value: "v" }, "POST"], [{ op: "lock", key: "k", ttlMs: 1000 }, "POST"], ["get", "POST"]] as const) {
    assert.is((await post(body, method)).status, 400, JSON.stringify(body));
  }
});

test("an error answer from the object fails the operation, naming it and the status", async () => {
  const broken: DurableObjectNamespaceLike = {
    idFromName: (name) => namespace.idFromName(name),
    get: () => ({ fetch: () => Promise.resolve(new Response("no", { status: 500 })) }),
  };
  const error = await durableObjectStore(broken).get("k").then(() => undefined, (e: unknown) => e);
  assert.match(String((error as Error)?.message), /answered 500 to get/);
});

/** What the inspected object named `name` keeps: every entry in its storage, and its alarm. */
async function storageOf(name: string): Promise<{ entries: Record<string, { value: string; expiresAt: number }>; alarm: number | null }> {
  const response = await inspected!.get(inspected!.idFromName(name)).fetch(new Request("https://token-store.test/entries"));
  return response.json();
}

/** Polls the object until `done` holds (an alarm runs in the object's own time); never asserts a duration. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 300 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

test("a TTL past the documented maximum (24 h) is cut to it, for values and for locks", async () => {
  const store = durableObjectStore(inspected, { name: "ttl-cap" });
  const before = Date.now();
  await store.set("forever", "v", 1e300);
  const lock = await store.lock!("forever:lock", 1e300);
  assert.ok(lock, "the lock was taken");
  const { entries } = await storageOf("ttl-cap");
  for (const key of ["forever", "forever:lock"]) {
    const expiresAt = entries[key]!.expiresAt;
    assert.ok(Number.isFinite(expiresAt) && expiresAt >= before + 86_400_000 && expiresAt <= Date.now() + 86_400_000, `${key} expires at ${expiresAt}`);
  }
});

test("expired values and locks are deleted from the object's storage, not only hidden: 1,000 one-millisecond values leave nothing", async () => {
  const store = durableObjectStore(inspected, { name: "sweep" });
  await store.set("kept", "v", 3_600_000);
  for (let i = 0; i < 1_000; i++) await store.set(`short-${i}`, "v", 1);
  assert.ok(await store.lock!("dead:lock", 1), "a lock whose holder never releases it");
  const { entries, alarm } = await eventually(() => storageOf("sweep"), (s) => Object.keys(s.entries).length === 1);
  assert.equal(Object.keys(entries), ["kept"], `${Object.keys(entries).length} entries left`);
  assert.ok(alarm !== null && alarm > Date.now() + 3_000_000, "the next sweep is due when the kept value expires");
});

test("durableObjectStore() refuses what is not a Durable Object namespace", () => {
  assert.throws(() => durableObjectStore({} as DurableObjectNamespaceLike), /idFromName, get/);
  assert.throws(() => durableObjectStore(namespace, { name: 7 as unknown as string }), /name must be a string/);
});

test.run();
