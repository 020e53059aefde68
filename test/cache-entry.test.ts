// src/cache-entry.ts: one cache key's state machine — the hot path, single flight as seen by one
// caller (abort, invalidation, forced refresh), the soft and hard windows, serve-while-valid and
// the cooldown. What a token server sees of them is graded by the conformance suite (EXP-01,
// EXP-02, EXP-05, CONC-01, CONC-02, FAULT-01), not here.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TokenKeeperError } from "../mod.ts";
import { failure, harness, issueToken, json, tick } from "./helpers/token-server.ts";

const test = suite("cache entry");

/** A reply that waits until the test releases it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}


test("getToken() returns the same settled promise on the hot path", async () => {
  const { keeper } = harness();
  await keeper.getToken();
  assert.ok(keeper.getToken() === keeper.getToken());
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

test("inside the hard window callers wait for a fresh token", async () => {
  const { keeper, server, clock } = harness({ refreshWindowMs: 60_000, expiryMarginMs: 10_000 });
  const first = await keeper.getToken();
  clock.advance(300_000 - 5_000);
  const next = await keeper.getToken();
  assert.is.not(next.accessToken, first.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

test("expires_in 0: concurrent callers share the one request, and the next call makes its own", async () => {
  const { keeper, server } = harness();
  server.expiresIn = 0;
  const [a, b] = await Promise.all([keeper.getToken(), keeper.getToken()]);
  assert.is(a.accessToken, b.accessToken, "concurrent callers share the one request");
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 2, "the next call makes its own request");
  await tick();
  assert.is(server.tokenRequests.length, 2, "no background loop");
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

test("repeated failures trigger a cooldown: no request is sent until it ends", async () => {
  const { keeper, server, clock, events } = harness({ retry: { maxAttempts: 1, cooldownAfterFailures: 2, cooldownMs: 1_000 } });
  for (let i = 0; i < 3; i++) server.replies.push(() => json({ error: "invalid_client" }, 401));
  await failure(keeper.getToken());
  await failure(keeper.getToken());
  const cooling = await failure(keeper.getToken());
  assert.is(cooling.code, "COOLDOWN");
  assert.is((cooling.cause as TokenKeeperError | undefined)?.code, "OAUTH_ERROR", "the failure that caused the cooldown is its cause");
  assert.is(server.tokenRequests.length, 2);
  assert.ok(events.some((e) => e.type === "cooldown"));
  clock.advance(1_000);
  await failure(keeper.getToken());
  assert.is(server.tokenRequests.length, 3);
});

test("serve while valid: a failed refresh in the soft window keeps serving the token and reports the failure", async () => {
  const { keeper, server, clock, events } = harness({ retry: false });
  const first = await keeper.getToken();
  server.replies.push(() => new Response("down", { status: 503 }));
  clock.advance(280_000);
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  await tick();
  await tick();
  const failed = events.find((e) => e.type === "token_request_failed");
  assert.ok(failed && failed.type === "token_request_failed" && failed.servingStale && failed.refresh);
  clock.advance(15_000); // hard window: the caller waits, the refresh fails, the still-valid token is served
  server.replies.push(() => new Response("down", { status: 503 }));
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  clock.advance(10_000); // expired: now the error shows
  server.replies.push(() => new Response("down", { status: 503 }));
  assert.is((await failure(keeper.getToken())).code, "HTTP_ERROR");
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

test("the name option labels every event of a keeper", async () => {
  const { keeper, server, events } = harness({ name: "billing-api", retry: false });
  await keeper.getToken();
  server.replies.push(() => json({ error: "invalid_client" }, 401));
  await keeper.getToken({ forceRefresh: true }).catch(() => {});
  assert.ok(events.length >= 4);
  assert.equal([...new Set(events.map((e) => e.name))], ["billing-api"]);
});

test("a token request's events share one request number: started, retries, then fetched or failed", async () => {
  const { keeper, server, events } = harness({ retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0, cooldownAfterFailures: 10 } });
  server.replies.push(() => json({ error: "temporarily_unavailable" }, 503));
  await keeper.getToken();
  server.replies.push(() => json({ error: "invalid_client" }, 401), () => json({ error: "invalid_client" }, 401));
  await keeper.getToken({ forceRefresh: true }).catch(() => {});
  const numbered = events.filter((e) => e.type !== "token_served" && e.type !== "cooldown" && e.type !== "token_invalidated") as { type: string; request?: number }[];
  assert.equal(numbered.map((e) => [e.type, e.request]), [
    ["token_request_started", numbered[0]!.request],
    ["retry_scheduled", numbered[0]!.request],
    ["token_fetched", numbered[0]!.request],
    ["token_request_started", numbered[3]!.request],
    ["token_request_failed", numbered[3]!.request],
  ]);
  assert.ok(numbered[3]!.request! > numbered[0]!.request!, "each token request has its own number");
});

test.run();
