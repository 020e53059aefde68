// src/token.ts: the token object callers hold.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { harness } from "./helpers/token-server.ts";

const test = suite("token");

test("the token object hides its value from JSON.stringify", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  const text = JSON.stringify(token);
  assert.not.ok(text.includes(token.accessToken));
  assert.ok(text.includes('"tokenType":"Bearer"'));
});

test("every caller gets the same frozen token object", async () => {
  const { keeper } = harness();
  const first = await keeper.getToken();
  const second = await keeper.getToken();
  assert.ok(first === second, "one object, not a copy per caller");
  assert.ok(Object.isFrozen(first));
});

test("an edit of the token throws a TypeError that does not quote it, and keeper.fetch still sends the issued token", async () => {
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

test("the value is read from the token or destructured, and no copy carries it ({ ...token }, structuredClone, Object.keys)", async () => {
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

test("the token shows its value to no inspector (Node, Bun and Deno hooks)", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  const inspected = (token as unknown as Record<symbol, () => unknown>)[Symbol.for("nodejs.util.inspect.custom")]!.call(token);
  assert.not.ok(JSON.stringify(inspected).includes(token.accessToken), "what Node, Bun and console.log show");
  const denoShown = (token as unknown as Record<symbol, () => string>)[Symbol.for("Deno.customInspect")]!.call(token);
  assert.not.ok(denoShown.includes(token.accessToken), "what Deno shows");
});

test.run();
