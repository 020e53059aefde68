// sharedStore(): the shared-store protocol — store keys, the cross-instance lock, polling,
// degradation to memory when a store fails — and a keeper wired to a store. No conformance
// scenario covers stores; the fleet tests (test/node/store-redis.test.ts) run it across processes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretPost, dpop, sharedStore } from "../mod.ts";
import { shortHash } from "../src/lib/events.ts";
import type { TokenStore } from "../src/lib/types.ts";
import { storeKeyFor } from "../src/lib/store-crypto.ts";
import { memoryStore } from "../src/stores/memory.ts";
import type { TokenRecord } from "../src/lib/token.ts";
import { harness, json, SECRET } from "./helpers/token-server.ts";
import { brokenStore, eventLog, record, recordingStore, SESSION_SECRET, type SessionOptions, storeKeyOf, storeSession, until } from "./stores/helpers.ts";

const CACHE_KEY = "https://as.test/token\0client-7f3a\0client_secret_post\0read\0";

/** A fleet-in-a-box: a fake clock, a memory store on it, and layers over that store. */
function world(options: Partial<SessionOptions> = {}) {
  let t = 1_700_000_000_000;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const memory = memoryStore({ now: clock.now });
  const log = eventLog();
  let fetches = 0;
  let sleeps = 0;
  const issued: TokenRecord[] = [];
  const fetchToken = async () => {
    fetches += 1;
    const r = record(t);
    issued.push(r);
    return r;
  };
  const layer = (store: TokenStore = memory, extra: Partial<SessionOptions> = {}) =>
    storeSession({
      store,
      now: clock.now,
      emit: log.emit,
      // Polling advances the fake clock; one event-loop turn lets other instances progress.
      sleep: async (ms) => {
        sleeps += 1;
        clock.advance(ms);
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
      ...options,
      ...extra,
    });
  return { clock, memory, log, fetchToken, issued, layer, fetches: () => fetches, sleeps: () => sleeps };
}

const test = suite("store layer");

test("obtain() requests a token when the store is empty and shares it for the rest of its lifetime", async () => {
  const w = world();
  const rec = recordingStore(w.memory);
  const got = await w.layer(rec.store).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.is(w.fetches(), 1);
  assert.is(rec.writes.length, 1);
  assert.is(rec.writes[0]![2], 300_000);
  const again = await w.layer().obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(again.source, "store");
  assert.is(again.record.accessToken, got.record.accessToken);
  assert.equal(again.record, got.record);
  assert.is(w.fetches(), 1);
});

test("obtain() requests a new token when the stored one is no longer usable", async () => {
  const w = world();
  const first = await w.layer().obtain(CACHE_KEY, "k1", w.fetchToken);
  w.clock.advance(250_000);
  const second = await w.layer().obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(second.source, "network");
  assert.is.not(second.record.accessToken, first.record.accessToken);
  assert.is(w.fetches(), 2);
});

test("store keys are a SHA-256 hash and name no endpoint, client, scope or secret", async () => {
  const w = world();
  const rec = recordingStore(w.memory);
  await w.layer(rec.store).obtain(CACHE_KEY, "k1", w.fetchToken);
  const [key] = rec.writes[0]!;
  assert.match(key, /^tokenkeeper:[0-9a-f]{64}$/);
  assert.is(key, await storeKeyOf(CACHE_KEY));
  for (const part of ["as.test", "client-7f3a", "read", SESSION_SECRET]) assert.not.ok(key.includes(part), part);
  assert.not.ok(rec.writes[0]![1].includes(SESSION_SECRET), "the stored value holds no secret");
  assert.is.not(await storeKeyFor(CACHE_KEY + "write"), key);
});

test("a token expiring at once (expires_in 0) is used but never written to the store", async () => {
  const w = world();
  const rec = recordingStore(w.memory);
  const got = await w.layer(rec.store).obtain(CACHE_KEY, "k1", async () => record(w.clock.now(), 0));
  assert.is(got.source, "network");
  assert.is(rec.writes.length, 0);
});

test("20 instances sharing a store with a cold cache send exactly one token request", async () => {
  const w = world({ lockTtlMs: 60_000 });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => open = resolve);
  const slowFetch = async () => (await gate, w.fetchToken());
  const pending = Promise.all(
    Array.from({ length: 20 }, () => w.layer().obtain(CACHE_KEY, "k1", slowFetch)),
  );
  // The token request is held until the 19 other instances are polling the store.
  await until(() => w.sleeps() >= 19);
  open();
  const results = await pending;
  assert.is(w.fetches(), 1);
  assert.is(new Set(results.map((r) => r.record.accessToken)).size, 1);
  assert.is(results.filter((r) => r.source === "network").length, 1);
  assert.is(results.filter((r) => r.source === "store").length, 19);
  assert.ok(w.log.of("store_lock_wait").length >= 1);
  assert.ok(w.log.of("store_lock_wait").every((e) => e.waitedMs > 0 && e.key === "k1"));
});

test("a lock holder that died is survived once its lock expires, with one more token request", async () => {
  const w = world({ lockTtlMs: 5_000 });
  // The dead instance took the lock and will never write or release.
  await w.memory.lock!(`${await storeKeyOf(CACHE_KEY)}:lock`, 5_000);
  const started = w.clock.now();
  const got = await w.layer().obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.is(w.fetches(), 1);
  assert.ok(w.clock.now() - started >= 5_000, "took the lock before it expired");
  const [wait] = w.log.of("store_lock_wait");
  assert.ok(wait !== undefined && wait.waitedMs >= 5_000);
});

test("when a dead holder's lock expires, the waiters wait for the instance that takes it over: 1 extra request", async () => {
  // Five instances of a fleet: the store's time is how long the longest waiter has waited.
  const base = 1_700_000_000_000;
  let storeTime = base;
  const memory = memoryStore({ now: () => storeTime });
  await memory.lock!(`${await storeKeyOf(CACHE_KEY)}:lock`, 5_000);
  let fetches = 0;
  const slowFetch = async () => {
    fetches++;
    // The new holder's request takes a few turns, while the others run out of the dead lock's lifetime.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    return record(storeTime);
  };
  const instance = () => {
    let waited = 0;
    return storeSession({
      store: memory,
      now: () => storeTime,
      emit: () => {},
      lockTtlMs: 5_000,
      sleep: async (ms) => {
        waited += ms;
        storeTime = Math.max(storeTime, base + waited);
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
    });
  };
  const results = await Promise.all(Array.from({ length: 5 }, () => instance().obtain(CACHE_KEY, "k1", slowFetch)));
  assert.is(fetches, 1, "only the instance that took the expired lock requested a token");
  assert.is(new Set(results.map((r) => r.record.accessToken)).size, 1);
});

test("a waiter whose wait runs out just as the next holder writes its token and releases the lock takes that token", async () => {
  const w = world({ lockTtlMs: 1_000 });
  const started = w.clock.now();
  let next: Promise<unknown> | undefined;
  const racing: TokenStore = {
    ...w.memory,
    // The dead holder's lock until the wait is over; then, between this lock attempt and the
    // waiter's look at the lock's holder, another instance takes it, writes its token and releases.
    lock: async () => {
      if (w.clock.now() - started >= 1_000) next ??= w.layer().obtain(CACHE_KEY, "k2", w.fetchToken);
      await next;
      return undefined;
    },
  };
  const got = await w.layer(racing).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(w.fetches(), 1, "only the next holder requested a token");
  assert.is(got.source, "store");
  assert.is(got.record.accessToken, w.issued[0]!.accessToken);
});

test("a lock that is never granted costs at most its TTL, then the waiter requests the token itself", async () => {
  const w = world({ lockTtlMs: 1_000 });
  const stuck: TokenStore = { ...w.memory, lock: async () => undefined };
  const started = w.clock.now();
  const got = await w.layer(stuck).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.is(w.fetches(), 1);
  assert.is(w.log.of("store_lock_wait")[0]!.waitedMs, 1_000);
  assert.is(w.clock.now() - started, 1_000, "waited exactly the lock TTL (on the fake clock)");
});

/** A store whose lock is never granted and names a new holder (`"changing"`) or the same one at every look. */
function contended(w: ReturnType<typeof world>, holders: "changing" | "fixed"): TokenStore {
  let looks = 0;
  return {
    ...w.memory,
    lock: async () => undefined,
    get: async (key) => (key.endsWith(":lock") ? `holder-${holders === "changing" ? ++looks : 1}` : w.memory.get(key)),
  };
}

test("a lock that changes hands forever makes a caller wait two lock lifetimes at most, then it requests the token itself", async () => {
  const w = world({ lockTtlMs: 10_000 });
  const started = w.clock.now();
  // Without a bound the wait never ends: the caller gives up after a minute of fake time, and fails the test.
  const patience = new AbortController();
  const sleep = async (ms: number) => {
    w.clock.advance(ms);
    if (w.clock.now() - started > 60_000) patience.abort(new Error("still waiting for the lock after 60 s"));
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const got = await w.layer(contended(w, "changing"), { sleep }).obtain(CACHE_KEY, "k1", w.fetchToken, patience.signal);
  assert.is(got.source, "network");
  assert.is(w.fetches(), 1);
  assert.is(w.clock.now() - started, 20_000, "waited two lock lifetimes (on the fake clock)");
  assert.equal(w.log.of("store_lock_wait").map((e) => e.waitedMs), [20_000]);
});

test("a lock held by one holder that never writes makes a caller wait one lock lifetime, then it requests the token itself", async () => {
  const w = world({ lockTtlMs: 10_000 });
  const started = w.clock.now();
  const got = await w.layer(contended(w, "fixed")).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.is(w.fetches(), 1);
  assert.is(w.clock.now() - started, 10_000);
});

test("a failed token request rejects its caller with that error and releases the lock", async () => {
  const w = world();
  const boom = new Error("token endpoint down");
  const layer = w.layer();
  try {
    await layer.obtain(CACHE_KEY, "k1", () => Promise.reject(boom));
    assert.unreachable("obtain resolved");
  } catch (error) {
    assert.is(error, boom);
  }
  const got = await layer.obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.is(w.log.of("store_lock_wait").length, 0, "the next caller did not wait for a stale lock");
});

test("an aborted signal rejects a waiting caller with its reason", async () => {
  const w = world({ lockTtlMs: 60_000 });
  await w.memory.lock!(`${await storeKeyOf(CACHE_KEY)}:lock`, 60_000);
  const controller = new AbortController();
  const reason = new Error("caller gave up");
  const pending = w.layer().obtain(CACHE_KEY, "k1", w.fetchToken, controller.signal);
  controller.abort(reason);
  try {
    await pending;
    assert.unreachable("obtain resolved");
  } catch (error) {
    assert.is(error, reason);
  }
  assert.is(w.fetches(), 0);
});

test("a store without a lock still shares tokens (each cold instance requests its own)", async () => {
  const w = world();
  const { lock: _, ...noLock } = w.memory;
  const first = await w.layer(noLock).obtain(CACHE_KEY, "k1", w.fetchToken);
  const second = await w.layer(noLock).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(first.source, "network");
  assert.is(second.source, "store");
  assert.is(w.fetches(), 1);
});

test.run();

const degrade = suite("store layer degradation");

for (const behaviour of ["reject", "hang"] as const) {
  const verb = behaviour === "reject" ? "rejects" : "never answers";
  for (const operation of ["get", "lock"] as const) {
    degrade(`a store whose ${operation} ${verb} serves a token from the network and emits store_error`, async () => {
      const w = world({ storeTimeoutMs: 1 });
      const store = brokenStore(w.memory, [operation], behaviour);
      const got = await w.layer(store).obtain(CACHE_KEY, "k1", w.fetchToken);
      assert.is(got.source, "network");
      assert.is(w.fetches(), 1);
      const errors = w.log.of("store_error");
      assert.is(errors.length, 1);
      assert.is(errors[0]!.operation, operation);
      assert.is(errors[0]!.key, "k1");
      if (behaviour === "hang") assert.match(errors[0]!.message, /timed out/);
    });
  }
}

degrade("a store whose set fails still returns the fetched token", async () => {
  const w = world();
  const got = await w.layer(brokenStore(w.memory, ["set"], "reject")).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.equal(w.log.of("store_error").map((e) => e.operation), ["set"]);
});

degrade("a store that throws synchronously degrades like one that rejects", async () => {
  const w = world();
  const store: TokenStore = { ...w.memory, get: () => { throw new Error("client closed"); } };
  const got = await w.layer(store).obtain(CACHE_KEY, "k1", w.fetchToken);
  assert.is(got.source, "network");
  assert.equal(w.log.of("store_error").map((e) => e.operation), ["get"]);
});

degrade("store_error messages never contain the access token", async () => {
  const w = world();
  const echo: TokenStore = { ...w.memory, set: (_key, value) => Promise.reject(new Error(`ERR cannot store ${value}`)) };
  const got = await w.layer(echo).obtain(CACHE_KEY, "k1", w.fetchToken);
  const [error] = w.log.of("store_error");
  assert.ok(error !== undefined);
  assert.not.ok(JSON.stringify(w.log.events).includes(got.record.accessToken));
  assert.match(error.message, /\[redacted\]/);
});

degrade("remove() deletes only the token it names, and never rejects when the store fails", async () => {
  const w = world();
  const layer = w.layer();
  const { record: stored } = await layer.obtain(CACHE_KEY, "k1", w.fetchToken);
  await layer.remove(CACHE_KEY, "k1", "some-other-token");
  assert.is((await layer.obtain(CACHE_KEY, "k1", w.fetchToken)).source, "store");
  await layer.remove(CACHE_KEY, "k1", stored.accessToken);
  assert.is((await layer.obtain(CACHE_KEY, "k1", w.fetchToken)).source, "network");
  await layer.remove(CACHE_KEY, "k1");
  assert.is((await layer.obtain(CACHE_KEY, "k1", w.fetchToken)).source, "network");
  await w.layer(brokenStore(w.memory, ["get", "delete"], "reject")).remove(CACHE_KEY, "k1", stored.accessToken);
  await w.layer(brokenStore(w.memory, ["get", "delete"], "reject")).remove(CACHE_KEY, "k1");
  // The named token is looked up first, and so is the stored one before an unconditional delete.
  assert.equal(w.log.of("store_error").map((e) => e.operation), ["get", "get", "delete"]);
});

degrade("deleting the shared token emits store_token_deleted with the key, the token's hash and why", async () => {
  const w = world();
  const layer = w.layer();
  const { record: first } = await layer.obtain(CACHE_KEY, "k1", w.fetchToken);
  await layer.remove(CACHE_KEY, "k1", "some-other-token");
  assert.equal(w.log.of("store_token_deleted"), [], "nothing deleted, nothing said");
  await layer.remove(CACHE_KEY, "k1", first.accessToken);
  assert.equal(w.log.of("store_token_deleted"), [{ type: "store_token_deleted", key: "k1", tokenHash: shortHash(first.accessToken), reason: "invalidated" }]);
  const { record: second } = await layer.obtain(CACHE_KEY, "k1", w.fetchToken);
  await layer.remove(CACHE_KEY, "k1");
  await layer.remove(CACHE_KEY, "k1");
  assert.equal(w.log.of("store_token_deleted").slice(1), [{ type: "store_token_deleted", key: "k1", tokenHash: shortHash(second.accessToken), reason: "cleared" }], "an empty store deletes nothing");
  await layer.obtain(CACHE_KEY, "k1", w.fetchToken);
  await w.layer(brokenStore(w.memory, ["delete"], "reject")).remove(CACHE_KEY, "k1");
  assert.is(w.log.of("store_token_deleted").length, 2, "a failed delete is a store_error, not a deletion");
  assert.not.ok(JSON.stringify(w.log.events).includes(first.accessToken));
});

degrade.run();

const keeperSuite = suite("keeper with a shared store");

/** Writes `value` under the store key of the harness keeper's default cache entry. */
async function plant(store: ReturnType<typeof memoryStore>, value: unknown): Promise<void> {
  const cacheKey = JSON.stringify(["https://as.test/token", "s6BhdRkqt3", "client_secret_post", [], [], [], "bearer"]);
  await store.set(await storeKeyOf(cacheKey, clientSecretPost(SECRET)), JSON.stringify(value), 60_000);
}

keeperSuite("a token shared through the store is served to a second keeper without a token request", async () => {
  const store = memoryStore();
  const first = harness({ store });
  const token = await first.keeper.getToken();
  const second = harness({ store }, first.server);
  second.clock.t = first.clock.t;
  assert.is((await second.keeper.getToken()).accessToken, token.accessToken);
  assert.is(first.server.tokenRequests.length, 1);
  const started = second.events.find((e) => e.type === "token_request_started");
  const closed = second.events.find((e) => e.type === "token_served" && e.source === "store");
  assert.ok(started && closed, "the second keeper's token request opened and was closed by the store");
  assert.is((closed as { request?: number }).request, (started as { request: number }).request, "with the same request number");
});

keeperSuite("a planted stored token with CR/LF never reaches a header: the keeper fetches its own", async () => {
  const store = memoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "evil\r\nX-Injected: 1", tokenType: "Bearer", expiresAt: h.clock.t + 300_000, issuedAt: h.clock.t, scope: null });
  await h.keeper.fetch("/api/x");
  assert.is(h.server.tokenRequests.length, 1);
  assert.is(h.server.resourceRequests[0]!.headers.get("authorization"), `Bearer ${h.server.issued[0]}`);
  assert.ok(h.events.some((e) => e.type === "store_error"));
});

keeperSuite("a planted stored token claiming more than maxLifetimeMs is not used", async () => {
  const store = memoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "planted", tokenType: "Bearer", expiresAt: h.clock.t + 10 * 86_400_000, issuedAt: h.clock.t, scope: null });
  const token = await h.keeper.getToken();
  assert.is.not(token.accessToken, "planted");
  assert.is(h.server.tokenRequests.length, 1);
});

keeperSuite("a planted stored token claiming to be issued in the future is not used", async () => {
  const store = memoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "planted", tokenType: "Bearer", expiresAt: h.clock.t + 3_900_000, issuedAt: h.clock.t + 3_600_000, scope: null });
  const token = await h.keeper.getToken();
  assert.is.not(token.accessToken, "planted");
  assert.is(h.server.tokenRequests.length, 1);
});

keeperSuite("keepers that differ only in token parameters (an Auth0 audience) never share a token through the store", async () => {
  const store = memoryStore();
  const payments = harness({ store, tokenParameters: { audience: "https://payments.example" } });
  const analytics = harness({ store, tokenParameters: { audience: "https://analytics.example" } }, payments.server);
  analytics.clock.t = payments.clock.t;
  const paymentsToken = await payments.keeper.getToken();
  const analyticsToken = await analytics.keeper.getToken();
  assert.is.not(analyticsToken.accessToken, paymentsToken.accessToken);
  assert.equal(payments.server.tokenRequests.map((r) => new URLSearchParams(r.body).get("audience")), ["https://payments.example", "https://analytics.example"]);
});

keeperSuite("DPoP keepers with different key pairs never share a token through the store; the same key pair does", async () => {
  const store = memoryStore();
  const pair = () => crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
  const shared = await pair();
  const a = harness({ store, dpop: dpop(shared) });
  const b = harness({ store, dpop: dpop(await pair()) }, a.server);
  const c = harness({ store, dpop: dpop(shared) }, a.server);
  b.clock.t = c.clock.t = a.clock.t;
  for (let i = 0; i < 3; i++) a.server.replies.push(() => json({ access_token: `dpop-${i}`, token_type: "DPoP", expires_in: 300 }));
  const tokenA = await a.keeper.getToken();
  const tokenB = await b.keeper.getToken();
  const tokenC = await c.keeper.getToken();
  assert.is.not(tokenB.accessToken, tokenA.accessToken, "another key's bound token is not picked up");
  assert.is(tokenC.accessToken, tokenA.accessToken, "the same key shares");
  assert.is(a.server.tokenRequests.length, 2);
});

keeperSuite("invalidate(token) removes it from the store, so no instance picks it up again", async () => {
  const store = memoryStore();
  const a = harness({ store });
  const token = await a.keeper.getToken();
  await a.keeper.invalidate(token.accessToken);
  const b = harness({ store }, a.server);
  b.clock.t = a.clock.t;
  assert.is.not((await b.keeper.getToken()).accessToken, token.accessToken);
  assert.is(a.server.tokenRequests.length, 2);
});

keeperSuite("a 401 invalid_token through keeper.fetch() deletes the fleet's shared token and says so", async () => {
  const store = memoryStore();
  const h = harness({ store });
  const token = await h.keeper.getToken();
  h.server.resource = (request) => request.headers.get("authorization") === `Bearer ${token.accessToken}`
    ? new Response("no", { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } })
    : json({ ok: true });
  assert.is((await h.keeper.fetch("/api/x")).status, 200);
  const deleted = h.events.filter((e) => e.type === "store_token_deleted");
  assert.equal(deleted, [{ type: "store_token_deleted", key: h.events[0]!.key, tokenHash: shortHash(token.accessToken), reason: "invalidated" }]);
});

/** A keeper's view of an encrypted memory store that remembers every value written, as a store writer could. */
async function replayableStore(now: () => number) {
  const encryptionKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  const raw = memoryStore({ now });
  const writes: { key: string; value: string }[] = [];
  const store = sharedStore({ ...raw, set: (key, value, ttlMs) => (writes.push({ key, value }), raw.set(key, value, ttlMs)) }, { encryptionKey });
  return { store, writes, replay: (write: { key: string; value: string }, ttlMs = 300_000) => raw.set(write.key, write.value, ttlMs) };
}

keeperSuite("a keeper never takes a token it invalidated from the store again, even when its sealed value is written back", async () => {
  let t = 1_700_000_000_000;
  const { store, writes, replay } = await replayableStore(() => t);
  const h = harness({ store });
  h.clock.t = t;
  const first = await h.keeper.getToken();
  const sealed = writes[0]!;
  await h.keeper.invalidate(first.accessToken);
  const second = await h.keeper.getToken();
  await h.keeper.invalidate(second.accessToken);
  await replay(sealed); // a store writer puts the first token's sealed value back
  const third = await h.keeper.getToken();
  assert.not.ok([first.accessToken, second.accessToken].includes(third.accessToken));
  assert.is(h.server.tokenRequests.length, 3);
  assert.is(writes.at(-1)!.key, sealed.key, "the new token replaced the replayed value in the store");
});

keeperSuite("a sealed value copied under another keeper's store key does not open there: that keeper fetches its own token", async () => {
  const { store, writes, replay } = await replayableStore(Date.now);
  const a = harness({ store });
  const token = await a.keeper.getToken();
  const b = harness({ store, clientSecret: "another-secret" }, a.server);
  b.clock.t = a.clock.t;
  await b.keeper.getToken(); // writes b's token under b's store key
  await replay({ key: writes[1]!.key, value: writes[0]!.value });
  const c = harness({ store, clientSecret: "another-secret" }, a.server);
  c.clock.t = a.clock.t;
  assert.is.not((await c.keeper.getToken()).accessToken, token.accessToken);
  assert.ok(c.events.some((e) => e.type === "store_error" && /does not decrypt/.test(e.message)));
  assert.is(a.server.tokenRequests.length, 3);
});

keeperSuite("the documented limit: another keeper takes a replayed sealed value, until its sealed expiry however long the store keeps it", async () => {
  let t = 1_700_000_000_000;
  const { store, writes, replay } = await replayableStore(() => t);
  const a = harness({ store });
  a.clock.t = t;
  const token = await a.keeper.getToken();
  const sealed = writes[0]!;
  await a.keeper.invalidate(token.accessToken);
  await replay(sealed);
  const b = harness({ store }, a.server);
  b.clock.t = t;
  assert.is((await b.keeper.getToken()).accessToken, token.accessToken, "B never saw the invalidation: the replayed token serves it");
  // Written back with ten days to live, the value still carries its sealed 300 s expiry.
  await replay(sealed, 10 * 86_400_000);
  const c = harness({ store }, a.server);
  c.clock.t = t = b.clock.t + 300_000;
  assert.is.not((await c.keeper.getToken()).accessToken, token.accessToken);
  assert.is(a.server.tokenRequests.length, 2);
});

keeperSuite.run();

const args = suite("sharedStore() arguments");

args("a store encryption key that is not an AES-GCM key for encrypt and decrypt is refused", async () => {
  const store = { get: async () => undefined, set: async () => {}, delete: async () => {} };
  const hmac = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  const encryptOnly = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
  const good = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  for (const key of [hmac, encryptOnly, "0123456789abcdef", {}]) {
    assert.throws(() => sharedStore(store, { encryptionKey: key as CryptoKey }), /encryptionKey must be an AES-GCM CryptoKey/);
  }
  assert.not.throws(() => sharedStore(store, { encryptionKey: good }));
});

args("sharedStore() refuses an operation timeout that is not a positive number", () => {
  for (const bad of [0, -1, Number.NaN, Infinity]) {
    assert.throws(() => sharedStore(memoryStore(), { operationTimeoutMs: bad }), (e: unknown) => e instanceof RangeError && /operationTimeoutMs/.test(e.message));
  }
});

args.run();
