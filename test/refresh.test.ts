// Cache and refresh: one cache key's state machine as one caller sees it — the hot path, single
// flight (abort, invalidation, forced refresh), the soft and hard windows, serve-while-valid, the
// cooldown — and a token's lifetime and windows as arithmetic. What a token server sees of them is
// graded by the conformance suite (EXP-01, EXP-02, EXP-04, EXP-05, CONC-01, CONC-02, FAULT-01).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TokenKeeperError } from "../mod.ts";
import { failure, harness, issueToken, json, tick } from "./helpers/token-server.ts";
import { lifetimeMs, refreshDeadlines } from "../src/lib/token.ts";

const refresh = suite("cache and refresh");

/** A reply that waits until the test releases it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}


refresh("getToken() returns the same settled promise on the hot path", async () => {
  const { keeper } = harness();
  await keeper.getToken();
  assert.ok(keeper.getToken() === keeper.getToken());
});

refresh("an abort rejects only the caller that aborted", async () => {
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

refresh("an already-aborted signal rejects at once without a request", async () => {
  const { keeper, server } = harness();
  const error = await keeper.getToken({ signal: AbortSignal.abort() }).catch((e: TokenKeeperError) => e);
  assert.is((error as TokenKeeperError).code, "ABORTED");
  await tick();
  assert.ok(server.tokenRequests.length <= 1);
});

refresh("a refresh that started before an invalidation never publishes its token", async () => {
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

refresh("invalidate(token) drops only that token", async () => {
  const { keeper, server } = harness();
  const first = await keeper.getToken();
  await keeper.invalidate("some-other-token");
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  await keeper.invalidate(first.accessToken);
  assert.is.not((await keeper.getToken()).accessToken, first.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

refresh("inside the soft window the cached token is served at once while one background refresh runs", async () => {
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

refresh("a waitUntil that throws neither fails the call nor stops the cached token being served", async () => {
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

refresh("inside the hard window callers wait for a fresh token", async () => {
  const { keeper, server, clock } = harness({ refreshWindowMs: 60_000, expiryMarginMs: 10_000 });
  const first = await keeper.getToken();
  clock.advance(300_000 - 5_000);
  const next = await keeper.getToken();
  assert.is.not(next.accessToken, first.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

refresh("expires_in 0: concurrent callers share the one request, and the next call makes its own", async () => {
  const { keeper, server } = harness();
  server.expiresIn = 0;
  const [a, b] = await Promise.all([keeper.getToken(), keeper.getToken()]);
  assert.is(a.accessToken, b.accessToken, "concurrent callers share the one request");
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 2, "the next call makes its own request");
  await tick();
  assert.is(server.tokenRequests.length, 2, "no background loop");
});

refresh("forceRefresh skips the cached token", async () => {
  const { keeper } = harness();
  const first = await keeper.getToken();
  const forced = await keeper.getToken({ forceRefresh: true });
  assert.is.not(forced.accessToken, first.accessToken);
});

refresh("a forced refresh that fails rejects with its error instead of handing back the old token", async () => {
  const { keeper, server } = harness({ retry: false });
  const first = await keeper.getToken();
  server.replies.push(() => json({ error: "invalid_client" }, 400));
  const error = await keeper.getToken({ forceRefresh: true }).then(() => undefined, (e: unknown) => e);
  assert.instance(error, TokenKeeperError);
  assert.is((error as TokenKeeperError).code, "OAUTH_ERROR");
  assert.is((await keeper.getToken()).accessToken, first.accessToken, "a plain call still serves the valid token");
});

refresh("repeated failures trigger a cooldown: no request is sent until it ends", async () => {
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

refresh("serve while valid: a failed refresh in the soft window keeps serving the token and reports the failure", async () => {
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

refresh("a token request a caller waits for is handed to waitUntil too, so it outlives the caller's request", async () => {
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

refresh("the name option labels every event of a keeper", async () => {
  const { keeper, server, events } = harness({ name: "billing-api", retry: false });
  await keeper.getToken();
  server.replies.push(() => json({ error: "invalid_client" }, 401));
  await keeper.getToken({ forceRefresh: true }).catch(() => {});
  assert.ok(events.length >= 4);
  assert.equal([...new Set(events.map((e) => e.name))], ["billing-api"]);
});

refresh("a token request's events share one request number: started, retries, then fetched or failed", async () => {
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

refresh.run();

const windows = suite("lifetime and refresh windows");
const policy = { refreshWindowMs: 300_000, expiryMarginMs: 30_000, defaultLifetimeMs: 300_000, maxLifetimeMs: 86_400_000 };
const issued = (lifetime: number) => ({ accessToken: "t", tokenType: "Bearer" as const, issuedAt: 1_000_000, expiresAt: 1_000_000 + lifetime, scope: undefined });

windows("an absent expires_in means the default lifetime; a huge one is capped at maxLifetimeMs", () => {
  assert.is(lifetimeMs(undefined, policy), 300_000);
  assert.is(lifetimeMs(10 ** 12, policy), 86_400_000);
  assert.is(lifetimeMs(3600.5, policy), 3_600_500);
  assert.is(lifetimeMs(0, policy), 0);
});

windows("a long-lived token gets the configured windows: hard at the margin, soft at the window plus up to 25 % jitter", () => {
  const lifetime = 3_600_000;
  const expiresAt = 1_000_000 + lifetime;
  assert.equal(refreshDeadlines(issued(lifetime), policy, 0), { softAt: expiresAt - 300_000, hardAt: expiresAt - 30_000 });
  const late = refreshDeadlines(issued(lifetime), policy, 0.999_999);
  assert.ok(expiresAt - late.softAt > 374_000 && expiresAt - late.softAt <= 375_000, `soft window ${expiresAt - late.softAt}`);
});

windows("windows scale down for short lifetimes: a 6 s token has a 0.6 s hard and a 1.5-1.9 s soft window", () => {
  const expiresAt = 1_000_000 + 6_000;
  const early = refreshDeadlines(issued(6_000), policy, 0);
  const late = refreshDeadlines(issued(6_000), policy, 0.999_999);
  assert.is(expiresAt - early.hardAt, 600);
  assert.is(expiresAt - early.softAt, 1_500);
  assert.ok(expiresAt - late.softAt > 1_874 && expiresAt - late.softAt <= 1_875);
});

windows("the soft window never ends after the hard one, even with no refresh window", () => {
  const { softAt, hardAt } = refreshDeadlines(issued(60_000), { ...policy, refreshWindowMs: 0 }, 0.5);
  assert.ok(softAt <= hardAt);
});

windows.run();
