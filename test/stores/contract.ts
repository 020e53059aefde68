// The behaviour every TokenStore adapter must have, run against a real engine by each adapter's
// test entry (Redis on Node, Deno KV on Deno, Workers KV in workerd). Runtime-neutral.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { TokenStore } from "../../src/lib/types.ts";
import type { TokenRecord } from "../../src/lib/token.ts";
import { eventLog, record, storeSession } from "./helpers.ts";

export interface ContractOptions {
  /** Lock TTL the lock tests use. */
  lockTtlMs: number;
  /** Makes every lock taken so far expire (moves the adapter's clock, or waits out a real TTL). */
  expireLocks: () => Promise<void>;
  /** Whether two holders can never both have the lock (false for best-effort locks). */
  atomicLock: boolean;
}

/** Registers and runs a uvu suite that checks `store` (a fresh, empty namespace) against the contract. */
export function storeContract(name: string, store: TokenStore, options: ContractOptions): void {
  const test = suite(`${name} store contract`);
  const unique = () => `contract:${crypto.randomUUID()}`;

  test("get() resolves to undefined for a key never written", async () => {
    assert.is(await store.get(unique()), undefined);
  });

  test("set() writes a value that get() reads back, and a second set() replaces it", async () => {
    const key = unique();
    await store.set(key, "tk1.first", 120_000);
    assert.is(await store.get(key), "tk1.first");
    await store.set(key, '{"v":1,"accessToken":"é✓"}', 120_000);
    assert.is(await store.get(key), '{"v":1,"accessToken":"é✓"}');
  });

  test("delete() removes a value, and deleting a missing key is not an error", async () => {
    const key = unique();
    await store.set(key, "v", 120_000);
    await store.delete(key);
    await store.delete(unique());
    assert.is(await store.get(key), undefined);
  });

  test("lock() gives the lock to one holder until it releases it", async () => {
    const key = unique();
    const first = await store.lock!(key, options.lockTtlMs);
    assert.ok(first, "the first holder got the lock");
    assert.is(await store.lock!(key, options.lockTtlMs), undefined);
    await first.release();
    const second = await store.lock!(key, options.lockTtlMs);
    assert.ok(second, "the lock was free again after release");
    await second.release();
  });

  if (options.atomicLock) {
    test("of 20 concurrent lock() calls exactly one gets the lock", async () => {
      const key = unique();
      const locks = await Promise.all(Array.from({ length: 20 }, () => store.lock!(key, options.lockTtlMs)));
      assert.is(locks.filter((l) => l !== undefined).length, 1);
    });
  }

  test("a lock whose holder died expires, and the old holder's release leaves the new holder's lock alone", async () => {
    const key = unique();
    const dead = await store.lock!(key, options.lockTtlMs);
    assert.ok(dead);
    await options.expireLocks();
    // The new holder's lock is long, so a slow machine cannot let it expire during the test.
    const next = await store.lock!(key, 60_000);
    assert.ok(next, "the expired lock was taken");
    await dead.release();
    assert.is(await store.lock!(key, 60_000), undefined, "the new holder still has it");
    await next.release();
  });

  test("instances sharing this store with a cold cache send one token request, encrypted at rest", async () => {
    const cacheKey = `https://as.test/token\0${unique()}`;
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    const log = eventLog();
    let fetches = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => open = resolve);
    const fetchToken = async () => {
      fetches += 1;
      await gate;
      return record(Date.now());
    };
    const layers = Array.from({ length: 10 }, () => storeSession({ store, encryptionKey: key, now: Date.now, emit: log.emit, lockTtlMs: 30_000, storeTimeoutMs: 5_000 }));
    const pending = Promise.all(layers.map((layer) => layer.obtain(cacheKey, "k", fetchToken)));
    // Let the holder's request stay open while the others find the lock taken.
    await new Promise((resolve) => setTimeout(resolve, 200));
    open();
    const results = await pending;
    assert.is(fetches, 1);
    assert.is(new Set(results.map((r) => r.record.accessToken)).size, 1);
    assert.is(results.filter((r) => r.source === "store").length, 9);
    assert.is(log.of("store_error").length, 0);
  });

  test.run();
}
