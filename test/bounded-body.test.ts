// src/bounded-body.ts: token endpoint and discovery responses are read whole, within a bound.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isTokenKeeperError } from "../mod.ts";
import { harness, json } from "./helpers/token-server.ts";

const test = suite("bounded response bodies");

test("a response body over 64 KiB is refused", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", pad: "x".repeat(70_000) }));
  const error = await keeper.getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenKeeperError(error));
  assert.is(error.code, "INVALID_RESPONSE");
  assert.match(error.message, /exceeds 65536 bytes/);
});

test.run();
