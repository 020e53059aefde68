import { suite } from "uvu";
import * as assert from "uvu/assert";
import { memoryStore } from "../../src/stores/memory.ts";
import { credentialContract } from "./credentials.ts";

const test = suite("memory store");

test("a value is served until its TTL runs out, then is gone", async () => {
  let t = 0;
  const store = memoryStore({ now: () => t });
  await store.set("k", "v", 1_000);
  t = 999;
  assert.is(await store.get("k"), "v");
  t = 1_000;
  assert.is(await store.get("k"), undefined);
});

test("delete() removes a value and ignores a missing one", async () => {
  const store = memoryStore();
  await store.set("k", "v", 60_000);
  await store.delete("k");
  await store.delete("never-set");
  assert.is(await store.get("k"), undefined);
});

test("only one holder gets a lock until it is released or expires", async () => {
  let t = 0;
  const store = memoryStore({ now: () => t });
  const first = await store.lock!("l", 500);
  assert.ok(first);
  assert.is(await store.lock!("l", 500), undefined);
  await first.release();
  const second = await store.lock!("l", 500);
  assert.ok(second);
  t = 500;
  assert.ok(await store.lock!("l", 500), "an expired lock is taken over");
});

test("a released lock that was taken over by another holder stays with that holder", async () => {
  let t = 0;
  const store = memoryStore({ now: () => t });
  const stale = await store.lock!("l", 100);
  t = 100;
  const current = await store.lock!("l", 100);
  assert.ok(stale && current);
  await stale.release();
  assert.is(await store.lock!("l", 100), undefined, "the current holder's lock survived");
});

test.run();

credentialContract("memory", (options) => memoryStore(options));
