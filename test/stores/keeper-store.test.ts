// The keeper with a shared store: what a store hands back is checked like a token response.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { storeKeyFor } from "../../src/store-crypto.ts";
import { memoryStore } from "../../src/stores/memory.ts";
import { dpop } from "../../mod.ts";
import { harness, json } from "../helpers/token-server.ts";

const test = suite("keeper with a shared store");

/** Writes `value` under the store key of the harness keeper's default cache entry. */
async function plant(store: ReturnType<typeof memoryStore>, value: unknown): Promise<void> {
  const cacheKey = JSON.stringify(["https://as.test/token", "s6BhdRkqt3", "client_secret_post", [], [], [], "bearer"]);
  await store.set(await storeKeyFor(JSON.stringify([cacheKey, null])), JSON.stringify(value), 60_000);
}

test("a token shared through the store is served to a second keeper without a token request", async () => {
  const store = memoryStore();
  const first = harness({ store });
  const token = await first.keeper.getToken();
  const second = harness({ store }, first.server);
  second.clock.t = first.clock.t;
  assert.is((await second.keeper.getToken()).accessToken, token.accessToken);
  assert.is(first.server.tokenRequests.length, 1);
  assert.ok(second.events.some((e) => e.type === "token_served" && e.source === "store"));
});

test("a planted stored token with CR/LF never reaches a header: the keeper fetches its own", async () => {
  const store = memoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "evil\r\nX-Injected: 1", tokenType: "Bearer", expiresAt: h.clock.t + 300_000, issuedAt: h.clock.t, scope: null });
  await h.keeper.fetch("/api/x");
  assert.is(h.server.tokenRequests.length, 1);
  assert.is(h.server.resourceRequests[0]!.headers.get("authorization"), `Bearer ${h.server.issued[0]}`);
  assert.ok(h.events.some((e) => e.type === "store_error"));
});

test("a planted stored token claiming more than maxLifetimeMs is not used", async () => {
  const store = memoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "planted", tokenType: "Bearer", expiresAt: h.clock.t + 10 * 86_400_000, issuedAt: h.clock.t, scope: null });
  const token = await h.keeper.getToken();
  assert.is.not(token.accessToken, "planted");
  assert.is(h.server.tokenRequests.length, 1);
});

test("a planted stored token claiming to be issued in the future is not used", async () => {
  const store = memoryStore();
  const h = harness({ store });
  await plant(store, { v: 1, accessToken: "planted", tokenType: "Bearer", expiresAt: h.clock.t + 3_900_000, issuedAt: h.clock.t + 3_600_000, scope: null });
  const token = await h.keeper.getToken();
  assert.is.not(token.accessToken, "planted");
  assert.is(h.server.tokenRequests.length, 1);
});

test("keepers that differ only in token parameters (an Auth0 audience) never share a token through the store", async () => {
  const store = memoryStore();
  const payments = harness({ store, tokenParameters: { audience: "https://payments.example" } });
  const analytics = harness({ store, tokenParameters: { audience: "https://analytics.example" } }, payments.server);
  analytics.clock.t = payments.clock.t;
  const paymentsToken = await payments.keeper.getToken();
  const analyticsToken = await analytics.keeper.getToken();
  assert.is.not(analyticsToken.accessToken, paymentsToken.accessToken);
  assert.equal(payments.server.tokenRequests.map((r) => new URLSearchParams(r.body).get("audience")), ["https://payments.example", "https://analytics.example"]);
});

test("DPoP keepers with different key pairs never share a token through the store; the same key pair does", async () => {
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

test("invalidate(token) removes it from the store, so no instance picks it up again", async () => {
  const store = memoryStore();
  const a = harness({ store });
  const token = await a.keeper.getToken();
  await a.keeper.invalidate(token.accessToken);
  const b = harness({ store }, a.server);
  b.clock.t = a.clock.t;
  assert.is.not((await b.keeper.getToken()).accessToken, token.accessToken);
  assert.is(a.server.tokenRequests.length, 2);
});

test.run();
