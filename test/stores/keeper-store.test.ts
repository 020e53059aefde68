// The keeper with a shared store: what a store hands back is checked like a token response.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { storeKeyFor } from "../../src/store-crypto.ts";
import { createMemoryStore } from "../../src/stores/memory.ts";
import { harness } from "../helpers/token-server.ts";

const test = suite("keeper with a shared store");

/** Writes `value` under the store key of the harness keeper's default cache entry. */
async function plant(store: ReturnType<typeof createMemoryStore>, value: unknown): Promise<void> {
  const cacheKey = JSON.stringify(["https://as.test/token", "s6BhdRkqt3", "client_secret_post", [], [], "bearer"]);
  await store.set(await storeKeyFor(cacheKey), JSON.stringify(value), 60_000);
}

test("a token shared through the store is served to a second keeper without a token request", async () => {
  const store = createMemoryStore();
  const first = harness({ store });
  const token = await first.keeper.getToken();
  const second = harness({ store }, first.server);
  second.clock.t = first.clock.t;
  assert.is((await second.keeper.getToken()).accessToken, token.accessToken);
  assert.is(first.server.tokenRequests.length, 1);
  assert.ok(second.events.some((e) => e.type === "token_served" && e.source === "store"));
});

test("a planted stored token with CR/LF never reaches a header: the keeper fetches its own", async () => {
  const store = createMemoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "evil\r\nX-Injected: 1", tokenType: "Bearer", expiresAt: h.clock.t + 300_000, issuedAt: h.clock.t, scope: null });
  await h.keeper.fetch("/api/x");
  assert.is(h.server.tokenRequests.length, 1);
  assert.is(h.server.resourceRequests[0]!.headers.get("authorization"), `Bearer ${h.server.issued[0]}`);
  assert.ok(h.events.some((e) => e.type === "store_error"));
});

test("a planted stored token claiming more than maxLifetimeMs is not used", async () => {
  const store = createMemoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "planted", tokenType: "Bearer", expiresAt: h.clock.t + 10 * 86_400_000, issuedAt: h.clock.t, scope: null });
  const token = await h.keeper.getToken();
  assert.is.not(token.accessToken, "planted");
  assert.is(h.server.tokenRequests.length, 1);
});

test("invalidate(token) removes it from the store, so no instance picks it up again", async () => {
  const store = createMemoryStore();
  const a = harness({ store });
  const token = await a.keeper.getToken();
  await a.keeper.invalidate(token.accessToken);
  const b = harness({ store }, a.server);
  b.clock.t = a.clock.t;
  assert.is.not((await b.keeper.getToken()).accessToken, token.accessToken);
  assert.is(a.server.tokenRequests.length, 2);
});

test.run();
