// Node only: an unhandled rejection is observable through `process`.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { harness, tick } from "../helpers/token-server.ts";

const test = suite("event listeners");

test("an async onEvent listener that rejects causes no unhandled rejection and fails no call", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    let calls = 0;
    const { keeper } = harness({
      onEvent: async () => {
        calls++;
        throw new Error("log shipper down");
      },
    });
    await keeper.getToken();
    await keeper.getToken();
    for (let i = 0; i < 3; i++) await tick();
    assert.ok(calls >= 2, "the listener was called");
    assert.equal(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test.run();
