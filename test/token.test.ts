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

test.run();
