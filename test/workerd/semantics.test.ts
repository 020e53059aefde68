// Workers semantics, tested in workerd through miniflare with real dispatches: one keeper at
// module scope serves concurrent requests; a token request started by one request never makes
// another hang or fail; background refresh goes to waitUntil; expiry holds with a clock that only
// moves on I/O; a request waiting for another request's token request waits with its own timers,
// and takes over when that request ends. Every dispatch runs under a deadline that fails the test
// instead of hanging.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CROSS_REQUEST, type SuiteWorkerd, startSuite, tokenRequests } from "./harness.ts";

// workerd refuses some operations at module scope; the other tests create the keeper in the
// first request so that they test sharing across requests whatever construction does.
// TOKENKEEPER_WORKERD_CONTROL=naive swaps in a naive module-level single flight: the tests in
// which a request ends before its token request does (five of them) must then fail, four with a
// hung request, which shows that they can.
const LAZY = { CREATE: "lazy", ...(process.env["TOKENKEEPER_WORKERD_CONTROL"] === "naive" ? { MODE: "naive" } : {}) };

const workers = suite("workerd");

// One workerd for the suite; each test has workers of its own (a fresh module scope) and a token
// server of its own.
const tests = {
  "module-scope": { bindings: {} },
  outlived: { bindings: LAZY },
  "two-waiting": { bindings: LAZY },
  "cold-burst": { bindings: {} },
  "hard-window": { bindings: LAZY },
  "take-over": { bindings: { ...LAZY, TIMEOUT_MS: "60000" } },
  "wait-until-answers": { bindings: { ...LAZY, WAIT_UNTIL: "yes" } },
  "background-refresh": { bindings: { ...LAZY, WAIT_UNTIL: "yes" } },
  "abandoned-refresh": { bindings: LAZY },
  "workerd-clock": { bindings: LAZY, expiresInS: 1 },
};
let workerd: SuiteWorkerd<keyof typeof tests>;
workers.before(async () => {
  workerd = await startSuite(tests);
});
workers.after(() => workerd?.close());

workers("a keeper created at module scope serves its first request", async () => {
  const h = workerd.take("module-scope");
  h.server.releaseTokens();
  const r = await h.get("/token");
  assert.equal(r.body, { token: "tok-1" });
});

workers("a request whose token request outlived an earlier, finished request neither hangs nor fails", async () => {
  const h = workerd.take("outlived");
  // Request 1 starts the token request, then gives up and ends before the token arrives.
  const first = h.get("/abandon?hold=r1");
  await h.server.waitFor("token");
  await h.server.waitFor("hold", "r1");
  // Request 2 asks for a token while request 1's token request is in flight.
  const second = h.get("/token?mark=r2");
  await h.server.waitFor("mark", "r2");
  h.server.release("r1");
  const r1 = await first;
  assert.is(r1.status, 504, "request 1 ended without a token");
  // Only now does the token endpoint answer.
  h.server.releaseTokens();
  const r2 = await second;
  assert.is(r2.status, 200);
  assert.match(String(r2.body["token"]), /^tok-\d+$/, JSON.stringify(r2.body));
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("two concurrent requests waiting for one token request both get a token without a cross-request error", async () => {
  const h = workerd.take("two-waiting");
  const first = h.get("/token?mark=a");
  await h.server.waitFor("token");
  const second = h.get("/token?mark=b");
  await h.server.waitFor("mark", "b");
  h.server.releaseTokens();
  const [a, b] = await Promise.all([first, second]);
  assert.match(String(a.body["token"]), /^tok-\d+$/, JSON.stringify(a.body));
  assert.match(String(b.body["token"]), /^tok-\d+$/, JSON.stringify(b.body));
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("30 concurrent cold requests to a keeper at module scope send one token request, and all are answered", async () => {
  const h = workerd.take("cold-burst");
  const answers = Array.from({ length: 30 }, (_, i) => h.get(`/token?mark=c${i}`));
  // Every request has asked for its token before its mark goes out.
  for (let i = 0; i < 30; i++) await h.server.waitFor("mark", `c${i}`);
  h.server.releaseTokens();
  const results = await Promise.all(answers);
  assert.is(tokenRequests(h), 1);
  assert.equal(results.map((r) => r.status), results.map(() => 200));
  assert.equal([...new Set(results.map((r) => r.body["token"]))], ["tok-1"]);
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("at a hard-window refresh, 30 concurrent requests send one token request, and all get the new token", async () => {
  const h = workerd.take("hard-window");
  h.server.releaseTokens();
  assert.equal((await h.get("/token")).body, { token: "tok-1" });
  // 10 s before expiry: inside the hard window (30 s), so callers wait for a new token.
  await h.get(`/advance?ms=${3_590_000}`);
  h.server.holdTokens();
  const answers = Array.from({ length: 30 }, (_, i) => h.get(`/token?mark=h${i}`));
  for (let i = 0; i < 30; i++) await h.server.waitFor("mark", `h${i}`);
  h.server.releaseTokens();
  const results = await Promise.all(answers);
  assert.is(tokenRequests(h), 2, "the first token, then one refresh");
  assert.equal([...new Set(results.map((r) => r.body["token"]))], ["tok-2"]);
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("when the request that started the token request ends first, one waiting request takes over and all are answered", async () => {
  // timeoutMs 60 s: waiting out the bound (twice that) would hang the test, so only noticing the
  // ended request lets the waiters through.
  const h = workerd.take("take-over");
  const first = h.get("/abandon?hold=r1");
  await h.server.waitFor("token");
  await h.server.waitFor("hold", "r1");
  const waiting = Array.from({ length: 10 }, (_, i) => h.get(`/token?mark=w${i}`));
  for (let i = 0; i < 10; i++) await h.server.waitFor("mark", `w${i}`);
  h.server.release("r1");
  assert.is((await first).status, 504, "request 1 ended without a token");
  await h.server.waitFor("token", undefined, 2);
  h.server.releaseTokens();
  const results = await Promise.all(waiting);
  const state = tokenRequests(h) === 2 ? "" : ` (seen: ${JSON.stringify(h.server.seen)}; events: ${JSON.stringify((await h.get("/state")).body)})`;
  assert.is(tokenRequests(h), 2, `one waiting request took over, not each of them${state}`);
  assert.equal(results.map((r) => r.status), results.map(() => 200));
  assert.equal([...new Set(results.map((r) => r.body["token"]))], ["tok-2"]);
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("with waitUntil, a token request whose request has ended still answers the requests waiting for it", async () => {
  const h = workerd.take("wait-until-answers");
  const first = h.get("/abandon?hold=r1");
  await h.server.waitFor("token");
  await h.server.waitFor("hold", "r1");
  const waiting = Array.from({ length: 10 }, (_, i) => h.get(`/token?mark=w${i}`));
  for (let i = 0; i < 10; i++) await h.server.waitFor("mark", `w${i}`);
  h.server.release("r1");
  assert.is((await first).status, 504, "request 1 ended without a token");
  h.server.releaseTokens();
  const results = await Promise.all(waiting);
  assert.is(tokenRequests(h), 1);
  assert.equal(results.map((r) => r.body), results.map(() => ({ token: "tok-1" })));
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("a background refresh is handed to waitUntil and completes after its request has ended", async () => {
  const h = workerd.take("background-refresh");
  h.server.releaseTokens();
  assert.equal((await h.get("/token")).body, { token: "tok-1" });
  // 200 s before expiry: inside the soft window (300 s), outside the hard one (30 s).
  await h.get(`/advance?ms=${3_400_000}`);
  h.server.holdTokens();
  const during = await h.get("/token");
  assert.equal(during.body, { token: "tok-1" }, "the cached token is served at once");
  await h.server.waitFor("token", undefined, 2);
  const state = (await h.get("/state")).body as { handedToWaitUntil: string[]; events: string[] };
  assert.ok(state.handedToWaitUntil.length >= 1, "waitUntil received the refresh");
  assert.ok(state.handedToWaitUntil.every((kind) => kind === "promise"), state.handedToWaitUntil.join());
  assert.ok(state.events.includes("background_refresh_started"), state.events.join());
  // The request that started the refresh has answered; only now does the token endpoint reply.
  h.server.releaseTokens();
  let token = "tok-1";
  for (let i = 0; i < 200 && token === "tok-1"; i++) token = String((await h.get("/token")).body["token"]);
  assert.is(token, "tok-2", "the refresh started by the ended request published its token");
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("without waitUntil, requests after an abandoned background refresh still get fresh tokens", async () => {
  const h = workerd.take("abandoned-refresh");
  h.server.releaseTokens();
  assert.equal((await h.get("/token")).body, { token: "tok-1" });
  await h.get(`/advance?ms=${3_400_000}`);
  h.server.holdTokens();
  assert.equal((await h.get("/token")).body, { token: "tok-1" });
  await h.server.waitFor("token", undefined, 2);
  h.server.releaseTokens();
  // Past expiry: callers must wait for a new token, whatever became of the refresh.
  await h.get(`/advance?ms=${300_000}`);
  const after = await h.get("/token");
  assert.is(after.status, 200);
  assert.match(String(after.body["token"]), /^tok-([2-9]|\d\d+)$/, JSON.stringify(after.body));
  assert.not.match(h.logs(), CROSS_REQUEST);
});

workers("a token expires by workerd's clock, which moves only across I/O", async () => {
  const h = workerd.take("workerd-clock");
  h.server.releaseTokens();
  const pending = h.get("/wait-then-token?hold=sleep");
  await h.server.waitFor("hold", "sleep");
  // The worker is parked on I/O; let more than the token's 1 s lifetime pass, then answer.
  await new Promise((resolve) => setTimeout(resolve, 1_300));
  h.server.release("sleep");
  const r = (await pending).body as { first: { token: string }; second: { token: string }; movedMs: number };
  assert.ok(r.movedMs >= 1_000, `workerd's clock moved ${r.movedMs} ms across the I/O`);
  assert.equal(r.first, { token: "tok-1" });
  assert.equal(r.second, { token: "tok-2" }, "the expired token was not served");
});

workers.run();
