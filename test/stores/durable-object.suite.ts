// Durable Object adapter against a real Durable Object namespace in workerd. Loaded inside a
// worker by test/stores/durable-object.node.ts; the worker exports TokenStoreObject and its env
// (with the TOKEN_STORE binding) is on globalThis.__tokenkeeperEnv.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type DurableObjectNamespaceLike, durableObjectStore } from "../../src/stores/durable-object.ts";
import { storeContract } from "./contract.ts";
import { credentialContract } from "./credentials.ts";

const namespace = (globalThis as { __tokenkeeperEnv?: { TOKEN_STORE?: DurableObjectNamespaceLike } }).__tokenkeeperEnv?.TOKEN_STORE;
if (namespace === undefined) throw new Error("no Durable Object namespace binding: run through test/stores/durable-object.node.ts");

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

test("durableObjectStore() refuses what is not a Durable Object namespace", () => {
  assert.throws(() => durableObjectStore({} as DurableObjectNamespaceLike), /idFromName, get/);
  assert.throws(() => durableObjectStore(namespace, { name: 7 as unknown as string }), /name must be a string/);
});

test.run();
