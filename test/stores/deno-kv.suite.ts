// Deno KV adapter against a real Deno.openKv(). Loaded by test/stores/deno-kv.deno.ts, which runs
// it under Deno with --unstable-kv.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type DenoKvLike, denoKvStore } from "../../src/stores/deno-kv.ts";
import { storeContract } from "./contract.ts";

interface DenoKv extends DenoKvLike {
  close(): void;
}
interface DenoGlobal {
  openKv(path?: string): Promise<DenoKv>;
  makeTempFile(options?: { suffix?: string }): Promise<string>;
  remove(path: string): Promise<void>;
}
const Deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

let t = Date.now();
const now = () => t;
const kv = await Deno.openKv(":memory:");

storeContract("Deno KV", denoKvStore(kv, { now }), {
  lockTtlMs: 1_000,
  expireLocks: async () => void (t += 1_000),
  atomicLock: true,
});

const test = suite("Deno KV adapter");

test("set() writes under the prefix with expireIn set to the TTL", async () => {
  const calls: unknown[][] = [];
  const spy: DenoKvLike = {
    get: (key) => kv.get(key),
    set: (key, value, options) => (calls.push([key, options]), kv.set(key, value, options)),
    delete: (key) => kv.delete(key),
    atomic: () => kv.atomic(),
  };
  const store = denoKvStore(spy, { prefix: ["apps", "billing"] });
  await store.set("tokenkeeper:abc", "value", 299_999.2);
  assert.equal(calls, [[["apps", "billing", "tokenkeeper:abc"], { expireIn: 300_000 }]]);
  assert.is((await kv.get(["apps", "billing", "tokenkeeper:abc"])).value, "value");
});

test("stores with different prefixes do not see each other's values", async () => {
  const a = denoKvStore(kv, { prefix: ["a"] });
  const b = denoKvStore(kv, { prefix: ["b"] });
  await a.set("k", "from a", 60_000);
  assert.is(await b.get("k"), undefined);
  assert.is(await a.get("k"), "from a");
});

test("a value that is not a string counts as absent", async () => {
  await kv.set(["tokenkeeper", "odd"], 42 as unknown as string);
  assert.is(await denoKvStore(kv).get("odd"), undefined);
});

test("of 10 processes' handles on one KV file exactly one takes the lock", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const handles = await Promise.all(Array.from({ length: 10 }, () => Deno.openKv(path)));
  try {
    const locks = await Promise.all(handles.map((h) => denoKvStore(h).lock!("tokenkeeper:x:lock", 30_000)));
    assert.is(locks.filter((l) => l !== undefined).length, 1);
  } finally {
    for (const h of handles) h.close();
    await Deno.remove(path);
  }
});

test.after(() => kv.close());
test.run();
