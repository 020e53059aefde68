// The keeper and the provider (createTokenKeeper(), createTokenProvider()): per-call options, the
// bounded set of per-call cache entries, close(), and the token object callers hold. That different
// scopes, resources and clients never share a token is graded by GRANT-04 and CONC-03.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clock, createTokenProvider, TokenKeeperError } from "../mod.ts";
import { createTestServer, harness, issueToken, json, SECRET, tick } from "./helpers/token-server.ts";

const lifecycle = suite("keeper and provider");

lifecycle("a malformed per-call scope or resource rejects the call instead of throwing", async () => {
  const { keeper, server } = harness();
  const scopeCall = keeper.getToken({ scope: ['a"b'] });
  const resourceCall = keeper.getToken({ resource: "https://rs.test/#frag" });
  assert.instance(await scopeCall.catch((e: unknown) => e), TypeError);
  assert.instance(await resourceCall.catch((e: unknown) => e), TypeError);
  assert.is(server.tokenRequests.length, 0);
});

lifecycle("close() rejects further calls with CLOSED and aborts in-flight requests", async () => {
  const { keeper, server } = harness();
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  server.replies.push(async () => (await wait, issueToken(server)));
  const pending = keeper.getToken().catch((e: TokenKeeperError) => e);
  await tick();
  await keeper.close();
  const error = await pending;
  assert.instance(error, TokenKeeperError);
  assert.is((error as TokenKeeperError).code, "CLOSED");
  const after = await keeper.getToken().catch((e: TokenKeeperError) => e);
  assert.is((after as TokenKeeperError).code, "CLOSED");
  open();
});

lifecycle("createTokenProvider() serves the keeper's tokens, without fetch", async () => {
  const server = createTestServer();
  const tokens = createTokenProvider({ tokenEndpoint: "https://as.test/token", clientId: "s6BhdRkqt3", clientSecret: SECRET, fetch: server.fetch, [clock]: server.clock });
  assert.is("fetch" in tokens, false);
  const token = await tokens.getToken();
  assert.is(token.accessToken, server.issued[0]);
  assert.is(await tokens.getToken(), token, "cached");
  await tokens.close();
  assert.is(((await tokens.getToken().catch((e: unknown) => e)) as TokenKeeperError).code, "CLOSED");
});

lifecycle("keeper.fetch is one function, made once, that works unbound", async () => {
  const { keeper, server } = harness();
  const { fetch } = keeper;
  assert.is(keeper.fetch, fetch);
  assert.is((await fetch("/api/x")).status, 200);
  assert.is(server.resourceRequests.length, 1);
});

lifecycle.run();

const perCall = suite("per-call cache entries");

perCall("a scope set is a set: order and repetition select the same cache entry", async () => {
  const { keeper, server } = harness({ scope: "a" });
  const a = await keeper.getToken();
  const a2 = await keeper.getToken({ scope: "a" });
  const ba = await keeper.getToken({ scope: "b a" });
  const ab = await keeper.getToken({ scope: ["a", "b", "a"] });
  assert.is(a2.accessToken, a.accessToken, "the configured scope given per call is the main entry");
  assert.is(ab.accessToken, ba.accessToken);
  assert.is(server.tokenRequests.length, 2);
});

perCall("per-call entries are capped at maxCacheEntries, least recently used evicted first", async () => {
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

perCall("a per-call entry whose request failed is not kept, so it takes no room from live ones", async () => {
  const { keeper, server } = harness({ maxCacheEntries: 2, retry: false });
  await keeper.getToken({ scope: "a" });
  server.replies.push(() => json({ error: "invalid_scope" }, 400));
  await keeper.getToken({ scope: "x" }).catch(() => {});
  await keeper.getToken({ scope: "b" });
  await keeper.getToken({ scope: "a" });
  assert.is(server.tokenRequests.length, 3, "a is still cached: the failed x made no room for b at a's expense");
});

perCall.run();

const tokenObject = suite("the token object");

tokenObject("the token object hides its value from JSON.stringify", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  const text = JSON.stringify(token);
  assert.not.ok(text.includes(token.accessToken));
  assert.ok(text.includes('"tokenType":"Bearer"'));
});

tokenObject("every caller gets the same frozen token object", async () => {
  const { keeper } = harness();
  const first = await keeper.getToken();
  const second = await keeper.getToken();
  assert.ok(first === second, "one object, not a copy per caller");
  assert.ok(Object.isFrozen(first));
});

tokenObject("an edit of the token throws a TypeError that does not quote it, and keeper.fetch still sends the issued token", async () => {
  const { keeper, server } = harness();
  const token = await keeper.getToken();
  const edits = [
    () => { (token as { accessToken: string }).accessToken = "bad\nvalue"; },
    () => { (token as { tokenType: string }).tokenType = "DPoP"; },
    () => { (token as { expiresAt: number }).expiresAt = 0; },
    () => { (token as unknown as Record<string, unknown>)["extra"] = 1; },
  ];
  for (const edit of edits) {
    const error = (() => { try { edit(); } catch (e) { return e; } })();
    assert.instance(error, TypeError);
    assert.not.ok(String((error as Error).message).includes(server.issued[0]!), "the message does not quote the token");
  }
  assert.equal([token.accessToken, token.tokenType], [server.issued[0], "Bearer"]);
  await keeper.fetch("/api/x");
  assert.is(server.resourceRequests[0]!.headers.get("authorization"), `Bearer ${server.issued[0]}`);
});

tokenObject("the value is read from the token or destructured, and no copy carries it ({ ...token }, structuredClone, Object.keys)", async () => {
  const { keeper, server } = harness();
  const token = await keeper.getToken();
  const { accessToken } = token;
  assert.is(accessToken, server.issued[0]);
  assert.is(token.accessToken, server.issued[0]);
  assert.not.ok("accessToken" in { ...token }, "a spread copies own properties only");
  assert.not.ok("accessToken" in (structuredClone(token) as object));
  assert.equal(Object.keys(token).sort(), ["expiresAt", "scope", "tokenType"]);
  assert.not.ok(Object.getOwnPropertyNames(token).includes("accessToken"), "not even a hidden own property");
});

tokenObject("the token shows its value to no inspector (Node, Bun and Deno hooks)", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  const inspected = (token as unknown as Record<symbol, () => unknown>)[Symbol.for("nodejs.util.inspect.custom")]!.call(token);
  assert.not.ok(JSON.stringify(inspected).includes(token.accessToken), "what Node, Bun and console.log show");
  const denoShown = (token as unknown as Record<symbol, () => string>)[Symbol.for("Deno.customInspect")]!.call(token);
  assert.not.ok(denoShown.includes(token.accessToken), "what Deno shows");
});

tokenObject.run();
