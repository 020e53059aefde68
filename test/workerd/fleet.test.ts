// A fleet on Workers: several workers (each its own isolate) with a keeper at module scope,
// sharing tokens through one Durable Object (tokenkeeper/stores/durable-object), tested in workerd
// through miniflare with real dispatches.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CROSS_REQUEST, type SuiteWorkerd, startSuite, tokenRequests } from "./harness.ts";

const fleet = suite("workerd fleet with a Durable Object store");
const WORKERS = 3;
// Past the keeper's lock lifetime (10 s), which a dead lock holder holds the fleet up for.
const PAST_A_DEAD_HOLDER_MS = 30_000;

// One workerd for the suite; each test has its own fleet, Durable Object and token server.
const tests = {
  cold: { bindings: { STORE: "durable-object" }, workers: WORKERS },
  "dead-holder": { bindings: { STORE: "durable-object", CREATE: "lazy" }, workers: WORKERS },
};
let workerd: SuiteWorkerd<keyof typeof tests>;
fleet.before(async () => {
  workerd = await startSuite(tests);
});
fleet.after(() => workerd?.close());

fleet("30 concurrent cold requests spread over 3 workers bound to one Durable Object send one token request, and all are answered", async () => {
  const h = workerd.take("cold");
  const answers = Array.from({ length: 30 }, (_, i) => h.get(`/token?mark=f${i}`, { worker: i % WORKERS }));
  // Every request has asked for its token before its mark goes out.
  for (let i = 0; i < 30; i++) await h.server.waitFor("mark", `f${i}`);
  h.server.releaseTokens();
  const results = await Promise.all(answers);
  assert.is(tokenRequests(h), 1);
  assert.equal(results.map((r) => r.status), results.map(() => 200));
  assert.equal([...new Set(results.map((r) => r.body["token"]))], ["tok-1"]);
  assert.not.match(h.logs(), CROSS_REQUEST);
});

fleet("when the lock holder's request ends mid-refresh, the requests waiting on every worker are still answered", async () => {
  const h = workerd.take("dead-holder");
  // Request 1, on worker 0, takes the lock and sends the token request, then ends without it.
  const first = h.get("/abandon?hold=r1");
  await h.server.waitFor("token");
  await h.server.waitFor("hold", "r1");
  const waiting = Array.from({ length: 12 }, (_, i) => h.get(`/token?mark=w${i}`, { worker: i % WORKERS, deadlineMs: PAST_A_DEAD_HOLDER_MS }));
  for (let i = 0; i < 12; i++) await h.server.waitFor("mark", `w${i}`);
  h.server.release("r1");
  assert.is((await first).status, 504, "request 1 ended without a token");
  h.server.releaseTokens();
  const results = await Promise.all(waiting);
  assert.equal(results.map((r) => r.status), results.map(() => 200));
  assert.equal([...new Set(results.map((r) => r.body["token"]))], ["tok-2"]);
  assert.is(tokenRequests(h), 2, "the dead holder's request, then one for the whole fleet once its lock expired");
  assert.not.match(h.logs(), CROSS_REQUEST);
});

fleet.run();
