import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TokenKeeperError } from "../mod.ts";
import { harness, issueToken, json, tick } from "./helpers/token-server.ts";

const test = suite("cache and single flight");

/** A reply that waits until the test releases it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

test("getToken() caches the token: 20 calls over the token's life make one request", async () => {
  const { keeper, server, clock } = harness();
  const first = await keeper.getToken();
  for (let i = 0; i < 20; i++) {
    clock.advance(10_000);
    assert.is((await keeper.getToken()).accessToken, first.accessToken);
  }
  assert.is(server.tokenRequests.length, 1);
});

test("getToken() returns the same settled promise on the hot path", async () => {
  const { keeper } = harness();
  await keeper.getToken();
  assert.ok(keeper.getToken() === keeper.getToken());
});

test("getToken() shares one request among 1000 concurrent callers", async () => {
  const { keeper, server } = harness();
  const g = gate();
  server.replies.push(async () => (await g.wait, issueToken(server)));
  const calls = Array.from({ length: 1000 }, () => keeper.getToken());
  await tick();
  g.open();
  const tokens = await Promise.all(calls);
  assert.is(server.tokenRequests.length, 1);
  assert.is(new Set(tokens.map((t) => t.accessToken)).size, 1);
});

test("a failed request rejects all its waiters and leaves nothing poisoned", async () => {
  const { keeper, server } = harness({ retry: false });
  server.replies.push(() => json({ error: "invalid_scope" }, 400));
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => keeper.getToken()));
  assert.ok(results.every((r) => r.status === "rejected"));
  const errors = new Set(results.map((r) => (r as PromiseRejectedResult).reason));
  assert.is(errors.size, 1, "all waiters get the same error");
  assert.is(server.tokenRequests.length, 1);
  const token = await keeper.getToken();
  assert.is(server.tokenRequests.length, 2, "the next call sends a new request");
  assert.type(token.accessToken, "string");
});

test("an abort rejects only the caller that aborted", async () => {
  const { keeper, server } = harness();
  const g = gate();
  server.replies.push(async () => (await g.wait, issueToken(server)));
  const controller = new AbortController();
  const aborted = keeper.getToken({ signal: controller.signal });
  const other = keeper.getToken();
  controller.abort();
  const error = await aborted.then(() => undefined, (e: unknown) => e);
  assert.instance(error, TokenKeeperError);
  assert.is((error as TokenKeeperError).code, "ABORTED");
  g.open();
  assert.type((await other).accessToken, "string");
  assert.is(server.tokenRequests.length, 1);
});

test("an already-aborted signal rejects at once without a request", async () => {
  const { keeper, server } = harness();
  const error = await keeper.getToken({ signal: AbortSignal.abort() }).catch((e: TokenKeeperError) => e);
  assert.is((error as TokenKeeperError).code, "ABORTED");
  await tick();
  assert.ok(server.tokenRequests.length <= 1);
});

test("a refresh that started before an invalidation never publishes its token", async () => {
  const { keeper, server } = harness();
  const g = gate();
  server.replies.push(async () => (await g.wait, issueToken(server)));
  const waiting = keeper.getToken();
  await tick();
  await keeper.invalidate();
  g.open();
  const token = await waiting;
  assert.is(server.tokenRequests.length, 2, "the stale result is discarded and a new request made");
  assert.is(token.accessToken, server.issued[1]);
  assert.is((await keeper.getToken()).accessToken, server.issued[1]);
});

test("invalidate(token) drops only that token", async () => {
  const { keeper, server } = harness();
  const first = await keeper.getToken();
  await keeper.invalidate("some-other-token");
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  await keeper.invalidate(first.accessToken);
  assert.is.not((await keeper.getToken()).accessToken, first.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

test("inside the soft window the cached token is served at once while one background refresh runs", async () => {
  const { keeper, server, clock, events } = harness({ refreshWindowMs: 60_000, expiryMarginMs: 10_000 });
  const first = await keeper.getToken();
  const g = gate();
  server.replies.push(async () => (await g.wait, issueToken(server)));
  clock.advance(300_000 - 40_000); // 40 s left: inside the soft window, outside the hard one
  const served = await Promise.all([keeper.getToken(), keeper.getToken(), keeper.getToken()]);
  assert.ok(served.every((t) => t.accessToken === first.accessToken));
  assert.ok(events.some((e) => e.type === "token_request_started" && e.background && e.refresh));
  g.open();
  await tick();
  await tick();
  assert.is(server.tokenRequests.length, 2, "exactly one background refresh");
  assert.is((await keeper.getToken()).accessToken, server.issued[1]);
});

test("a waitUntil that throws neither fails the call nor stops the cached token being served", async () => {
  const { keeper, server, clock } = harness({
    refreshWindowMs: 60_000,
    expiryMarginMs: 10_000,
    waitUntil: () => {
      throw new Error("waitUntil refused: the request has ended");
    },
  });
  const first = await keeper.getToken();
  clock.advance(300_000 - 40_000);
  let served: Promise<{ accessToken: string }> | undefined;
  assert.not.throws(() => (served = keeper.getToken()));
  assert.is((await served!).accessToken, first.accessToken);
  await tick();
  assert.is(server.tokenRequests.length, 2, "the background refresh still ran");
});

test("a token request a caller waits for is handed to waitUntil too, so it outlives the caller's request", async () => {
  const handed: Promise<unknown>[] = [];
  const { keeper, server } = harness({ waitUntil: (promise) => void handed.push(promise) });
  const g = gate();
  server.replies.push(async () => (await g.wait, issueToken(server)));
  const token = keeper.getToken();
  assert.is(handed.length, 1);
  g.open();
  await handed[0];
  assert.is((await token).accessToken, server.issued[0]);
});

test("inside the hard window callers wait for a fresh token", async () => {
  const { keeper, server, clock } = harness({ refreshWindowMs: 60_000, expiryMarginMs: 10_000 });
  const first = await keeper.getToken();
  clock.advance(300_000 - 5_000);
  const next = await keeper.getToken();
  assert.is.not(next.accessToken, first.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

test("windows scale down for short lifetimes: a 6 s token is refreshed before it expires", async () => {
  const { keeper, server, clock } = harness();
  server.expiresIn = 6;
  const first = await keeper.getToken();
  clock.advance(5_000); // hard window is 0.6 s, soft window 1.5-1.9 s
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  await tick();
  await tick();
  assert.is(server.tokenRequests.length, 2, "background refresh started in the soft window");
  clock.advance(600);
  assert.is.not((await keeper.getToken()).accessToken, first.accessToken);
});

test("lifetime counts from when the request was sent, not when the answer arrived", async () => {
  const { keeper, server, clock } = harness();
  server.replies.push(() => {
    clock.advance(100_000);
    return issueToken(server);
  });
  const sent = clock.now();
  const token = await keeper.getToken();
  assert.is(token.expiresAt, sent + 300_000);
});

test("expires_in as a numeric string is accepted", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "abc", token_type: "Bearer", expires_in: "3600" }));
  const token = await keeper.getToken();
  assert.is(token.expiresAt - Date.parse("2023-11-14T22:13:20Z"), 3_600_000);
  void server;
});

test("an absent expires_in means the default lifetime (5 minutes), not forever", async () => {
  const { keeper, server, clock } = harness();
  server.expiresIn = undefined;
  const first = await keeper.getToken();
  assert.is(first.expiresAt - clock.now(), 300_000);
  clock.advance(300_000);
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 2);
});

test("expires_in 0 gives the token to its callers once and caches nothing", async () => {
  const { keeper, server } = harness();
  server.expiresIn = 0;
  const [a, b] = await Promise.all([keeper.getToken(), keeper.getToken()]);
  assert.is(a.accessToken, b.accessToken, "concurrent callers share the one request");
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 2, "the next call makes its own request");
  await tick();
  assert.is(server.tokenRequests.length, 2, "no background loop");
});

test("a huge expires_in is capped at maxLifetimeMs (24 h)", async () => {
  const { keeper, server, clock } = harness();
  server.expiresIn = 10 ** 12;
  const token = await keeper.getToken();
  assert.is(token.expiresAt - clock.now(), 86_400_000);
});

test("tokens for different scope sets never share a cache entry", async () => {
  const { keeper, server } = harness({ scope: "a" });
  const a = await keeper.getToken();
  const b = await keeper.getToken({ scope: ["b"] });
  const a2 = await keeper.getToken({ scope: "a" });
  const ba = await keeper.getToken({ scope: "b a" });
  const ab = await keeper.getToken({ scope: ["a", "b"] });
  assert.is.not(a.accessToken, b.accessToken);
  assert.is(a2.accessToken, a.accessToken);
  assert.is(ab.accessToken, ba.accessToken, "a scope set is a set: order does not matter");
  assert.is(server.tokenRequests.length, 3);
});

test("tokens for different resources never share a cache entry", async () => {
  const { keeper, server } = harness();
  const one = await keeper.getToken({ resource: "https://rs1.test/" });
  const two = await keeper.getToken({ resource: "https://rs2.test/" });
  assert.is.not(one.accessToken, two.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

test("a malformed per-call scope or resource rejects the call instead of throwing", async () => {
  const { keeper, server } = harness();
  const scopeCall = keeper.getToken({ scope: ['a"b'] });
  const resourceCall = keeper.getToken({ resource: "https://rs.test/#frag" });
  assert.instance(await scopeCall.catch((e: unknown) => e), TypeError);
  assert.instance(await resourceCall.catch((e: unknown) => e), TypeError);
  assert.is(server.tokenRequests.length, 0);
});

test("forceRefresh skips the cached token", async () => {
  const { keeper } = harness();
  const first = await keeper.getToken();
  const forced = await keeper.getToken({ forceRefresh: true });
  assert.is.not(forced.accessToken, first.accessToken);
});

test("a forced refresh that fails rejects with its error instead of handing back the old token", async () => {
  const { keeper, server } = harness({ retry: false });
  const first = await keeper.getToken();
  server.replies.push(() => json({ error: "invalid_client" }, 400));
  const error = await keeper.getToken({ forceRefresh: true }).then(() => undefined, (e: unknown) => e);
  assert.instance(error, TokenKeeperError);
  assert.is((error as TokenKeeperError).code, "OAUTH_ERROR");
  assert.is((await keeper.getToken()).accessToken, first.accessToken, "a plain call still serves the valid token");
});

test("per-call entries are capped at maxCacheEntries, least recently used evicted first", async () => {
  const { keeper, server } = harness({ maxCacheEntries: 2 });
  await keeper.getToken({ scope: "a" });
  await keeper.getToken({ scope: "b" });
  await keeper.getToken({ scope: "a" });
  await keeper.getToken({ scope: "c" }); // evicts b, the least recently used
  assert.is(server.tokenRequests.length, 3);
  await keeper.getToken({ scope: "a" });
  await keeper.getToken({ scope: "c" });
  assert.is(server.tokenRequests.length, 3, "a and c are still cached");
  await keeper.getToken({ scope: "b" });
  assert.is(server.tokenRequests.length, 4, "b was evicted");
});

test("a per-call entry whose request failed is not kept, so it takes no room from live ones", async () => {
  const { keeper, server } = harness({ maxCacheEntries: 2, retry: false });
  await keeper.getToken({ scope: "a" });
  server.replies.push(() => json({ error: "invalid_scope" }, 400));
  await keeper.getToken({ scope: "x" }).catch(() => {});
  await keeper.getToken({ scope: "b" });
  await keeper.getToken({ scope: "a" });
  assert.is(server.tokenRequests.length, 3, "a is still cached: the failed x made no room for b at a's expense");
});

test("close() rejects further calls with CLOSED and aborts in-flight requests", async () => {
  const { keeper, server } = harness();
  const g = gate();
  server.replies.push(async () => (await g.wait, issueToken(server)));
  const pending = keeper.getToken().catch((e: TokenKeeperError) => e);
  await tick();
  await keeper.close();
  const error = await pending;
  assert.instance(error, TokenKeeperError);
  assert.is((error as TokenKeeperError).code, "CLOSED");
  const after = await keeper.getToken().catch((e: TokenKeeperError) => e);
  assert.is((after as TokenKeeperError).code, "CLOSED");
  g.open();
});

test("the token object hides its value from JSON.stringify", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  const text = JSON.stringify(token);
  assert.not.ok(text.includes(token.accessToken));
  assert.ok(text.includes('"tokenType":"Bearer"'));
});

test.run();
