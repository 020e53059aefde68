// sharedStore() with an encryptionKey: store keys, and token records sealed (AES-GCM) and opened.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { openRecord, sealRecord, storeKeyFor } from "../src/lib/store-crypto.ts";
import { memoryStore } from "../src/stores/memory.ts";
import type { TokenRecord } from "../src/lib/token.ts";
import { eventLog, record, recordingStore, storeKeyOf, storeSession } from "./stores/helpers.ts";

const aesKey = () => crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
const NOW = 1_700_000_000_000;
const CACHE_KEY = "https://as.test/token\0svc\0client_secret_basic\0\0";

const test = suite("tokens at rest");

test("a sealed record holds no token, no scope and no JSON, and opens to the same record", async () => {
  const key = await aesKey();
  const rec = record(NOW);
  const storeKey = await storeKeyFor(CACHE_KEY);
  const sealed = await sealRecord(rec, storeKey, key);
  assert.match(sealed, /^tk1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
  assert.not.ok(sealed.includes(rec.accessToken));
  assert.not.ok(sealed.includes("Bearer"));
  assert.equal(await openRecord(sealed, storeKey, key), rec);
});

test("every write uses a fresh IV, so one token never seals to the same value twice", async () => {
  const key = await aesKey();
  const rec = record(NOW);
  const storeKey = await storeKeyFor(CACHE_KEY);
  const values = await Promise.all(Array.from({ length: 50 }, () => sealRecord(rec, storeKey, key)));
  assert.is(new Set(values).size, 50);
  assert.is(new Set(values.map((v) => v.split(".")[1])).size, 50);
});

test("a sealed record does not open under another store key, another key, or after tampering", async () => {
  const key = await aesKey();
  const storeKey = await storeKeyFor(CACHE_KEY);
  const sealed = await sealRecord(record(NOW), storeKey, key);
  await assertRefused(openRecord(sealed, await storeKeyFor(CACHE_KEY + "x"), key), /does not decrypt/);
  await assertRefused(openRecord(sealed, storeKey, await aesKey()), /does not decrypt/);
  const [prefix, iv, body] = sealed.split(".");
  const flipped = body!.startsWith("A") ? "B" + body!.slice(1) : "A" + body!.slice(1);
  await assertRefused(openRecord(`${prefix}.${iv}.${flipped}`, storeKey, key), /does not decrypt/);
  await assertRefused(openRecord(`${prefix}.${iv}`, storeKey, key), /malformed/);
});

test("a plain record is refused when a key is set, and a sealed one when none is", async () => {
  const key = await aesKey();
  const storeKey = await storeKeyFor(CACHE_KEY);
  const plain = await sealRecord(record(NOW), storeKey, undefined);
  assert.ok(JSON.parse(plain).accessToken);
  await assertRefused(openRecord(plain, storeKey, key), /not encrypted/);
  await assertRefused(openRecord(await sealRecord(record(NOW), storeKey, key), storeKey, undefined), /no encryption key/);
});

test("a stored value that is not a token record is refused", async () => {
  const storeKey = await storeKeyFor(CACHE_KEY);
  for (const value of ["", "{", "null", "[]", '{"v":1}', '{"v":2,"accessToken":"a","tokenType":"Bearer","expiresAt":1,"issuedAt":0,"scope":null}', '{"v":1,"accessToken":"a","tokenType":"mac","expiresAt":1,"issuedAt":0,"scope":null}']) {
    await assertRefused(openRecord(value, storeKey, undefined), /stored token/);
  }
});

test("instances sharing an encryption key share a token the store only sees encrypted", async () => {
  const key = await aesKey();
  const memory = memoryStore({ now: () => NOW });
  const rec = recordingStore(memory);
  const log = eventLog();
  const layer = () => storeSession({ store: rec.store, encryptionKey: key, now: () => NOW, emit: log.emit });
  const fetched = await layer().obtain(CACHE_KEY, "k", async () => record(NOW));
  const shared = await layer().obtain(CACHE_KEY, "k", async () => record(NOW));
  assert.is(shared.source, "store");
  assert.is(shared.record.accessToken, fetched.record.accessToken);
  assert.not.ok(rec.writes[0]![1].includes(fetched.record.accessToken));
  assert.is(log.events.length, 0);
});

test("a value that does not decrypt counts as absent: a new token is fetched and store_error emitted", async () => {
  const memory = memoryStore({ now: () => NOW });
  const log = eventLog();
  const key = await aesKey();
  // Sealed under another key, at the very store key the reader looks up.
  const storeKey = await storeKeyOf(CACHE_KEY, undefined, key);
  await memory.set(storeKey, await sealRecord(record(NOW), storeKey, await aesKey()), 60_000);
  const reader = storeSession({ store: memory, encryptionKey: key, now: () => NOW, emit: log.emit });
  let fetches = 0;
  const got = await reader.obtain(CACHE_KEY, "k", async () => (fetches++, record(NOW)));
  assert.is(got.source, "network");
  assert.is(fetches, 1);
  const [error] = log.of("store_error");
  assert.is(error?.operation, "get");
  assert.match(error!.message, /does not decrypt/);
});

test("with an encryption key, store keys are HMACs: another key, or none, looks under other store keys", async () => {
  const key = await aesKey();
  const keyed = await storeKeyOf(CACHE_KEY, undefined, key);
  assert.match(keyed, /^tokenkeeper:[0-9a-f]{64}$/);
  assert.is(await storeKeyOf(CACHE_KEY, undefined, key), keyed, "the same key makes the same store key");
  assert.is.not(await storeKeyOf(CACHE_KEY, undefined, await aesKey()), keyed);
  assert.is.not(await storeKeyOf(CACHE_KEY), keyed);
});

test.run();

async function assertRefused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, Error);
    assert.match((error as Error).message, message);
    return;
  }
  assert.unreachable("the value was accepted");
}
