// Workers KV adapter against a real KV namespace binding in workerd. Loaded inside a worker by
// test/stores/workers-kv.node.ts; the worker's env (with the TOKENS binding) is on
// globalThis.__tokenkeeperEnv.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type WorkersKvNamespaceLike, workersKvStore } from "../../src/stores/workers-kv.ts";
import { storeContract } from "./contract.ts";

const kv = (globalThis as { __tokenkeeperEnv?: { TOKENS?: WorkersKvNamespaceLike } }).__tokenkeeperEnv?.TOKENS;
if (kv === undefined) throw new Error("no KV namespace binding: run through test/stores/workers-kv.node.ts");

let t = Date.now();

storeContract("Workers KV", workersKvStore(kv, { bestEffortLock: true, now: () => t }), {
  lockTtlMs: 1_000,
  expireLocks: async () => void (t += 1_000),
  atomicLock: false,
});

const test = suite("Workers KV adapter");

function spy(inner: WorkersKvNamespaceLike, failPut = false) {
  const puts: [string, string, unknown][] = [];
  const ns: WorkersKvNamespaceLike = {
    get: (key) => inner.get(key),
    put: (key, value, options) => {
      puts.push([key, value, options]);
      return failPut ? Promise.reject(new Error("KV PUT failed: 429 Too Many Requests")) : inner.put(key, value, options);
    },
    delete: (key) => inner.delete(key),
  };
  return { ns, puts };
}

test("set() writes with expirationTtl in seconds, never under the 60 s KV minimum", async () => {
  const { ns, puts } = spy(kv);
  const store = workersKvStore(ns, { prefix: "app:" });
  await store.set("short", "v1", 5_000);
  await store.set("long", "v2", 299_001);
  assert.equal(puts.map(([key, , options]) => [key, options]), [["app:short", { expirationTtl: 60 }], ["app:long", { expirationTtl: 300 }]]);
  assert.is(await kv.get("app:long"), "v2");
  assert.is(await store.get("long"), "v2");
});

test("without bestEffortLock the store offers no lock", () => {
  assert.is(workersKvStore(kv).lock, undefined);
  assert.type(workersKvStore(kv, { bestEffortLock: true }).lock, "function");
});

test("a lock write that KV refuses (one write per second per key) means the lock is taken", async () => {
  const { ns } = spy(kv, true);
  assert.is(await workersKvStore(ns, { bestEffortLock: true }).lock!("busy:lock", 10_000), undefined);
});

test.run();
