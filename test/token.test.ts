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

test("copies keep the token's value ({ ...token }, structuredClone); the token itself shows it to no inspector", async () => {
  const { keeper } = harness();
  const token = await keeper.getToken();
  assert.is({ ...token }.accessToken, token.accessToken);
  assert.is(structuredClone(token).accessToken, token.accessToken);
  const inspected = (token as unknown as Record<symbol, () => unknown>)[Symbol.for("nodejs.util.inspect.custom")]!.call(token);
  assert.not.ok(JSON.stringify(inspected).includes(token.accessToken), "what Node, Bun and console.log show");
  const denoShown = (token as unknown as Record<symbol, () => string>)[Symbol.for("Deno.customInspect")]!.call(token);
  assert.not.ok(denoShown.includes(token.accessToken), "what Deno shows");
});

test.run();
