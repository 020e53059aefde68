// src/keeper.ts: the wiring behind createTokenKeeper() — per-call options and close().
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TokenKeeperError } from "../mod.ts";
import { harness, issueToken, tick } from "./helpers/token-server.ts";

const test = suite("keeper");

test("a malformed per-call scope or resource rejects the call instead of throwing", async () => {
  const { keeper, server } = harness();
  const scopeCall = keeper.getToken({ scope: ['a"b'] });
  const resourceCall = keeper.getToken({ resource: "https://rs.test/#frag" });
  assert.instance(await scopeCall.catch((e: unknown) => e), TypeError);
  assert.instance(await resourceCall.catch((e: unknown) => e), TypeError);
  assert.is(server.tokenRequests.length, 0);
});

test("close() rejects further calls with CLOSED and aborts in-flight requests", async () => {
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

test.run();
