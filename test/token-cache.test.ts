// src/token-cache.ts: the cache key and the bounded set of per-call entries. That different
// scopes, resources and clients never share a token is graded by GRANT-04 and CONC-03.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { harness, json } from "./helpers/token-server.ts";

const test = suite("token cache");

test("a scope set is a set: order and repetition select the same cache entry", async () => {
  const { keeper, server } = harness({ scope: "a" });
  const a = await keeper.getToken();
  const a2 = await keeper.getToken({ scope: "a" });
  const ba = await keeper.getToken({ scope: "b a" });
  const ab = await keeper.getToken({ scope: ["a", "b", "a"] });
  assert.is(a2.accessToken, a.accessToken, "the configured scope given per call is the main entry");
  assert.is(ab.accessToken, ba.accessToken);
  assert.is(server.tokenRequests.length, 2);
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

test.run();
