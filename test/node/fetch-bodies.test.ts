// keeper.fetch() with bodies only Node (and Bun) have: async iterables and Node `Readable` streams.
// Counts requests and bytes; never times anything.
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isTokenKeeperError } from "../../mod.ts";
import { harness, json, type Harness } from "../helpers/token-server.ts";

const test = suite("keeper.fetch() with Node bodies");

const payload = "x".repeat(1000);

/** A resource server that rejects the first token once with 401 invalid_token. */
function rejectFirstToken(h: Harness): void {
  h.server.resource = (request) => {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
    if (token === h.server.issued[0]) return new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
    return json({ ok: true });
  };
}

/** A resource server that answers 307 to /api/old and 200 elsewhere. */
function redirectOnce(h: Harness): void {
  h.server.resource = (request) => request.url.endsWith("/old")
    ? new Response(null, { status: 307, headers: { location: "/api/new" } })
    : json({ ok: true });
}

async function* generated(): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(payload.slice(0, 500));
  yield new TextEncoder().encode(payload.slice(500));
}

const oneShotBodies = [
  ["an async iterable", () => generated()],
  ["a Node Readable", () => Readable.from([payload.slice(0, 500), payload.slice(500)])],
] as const;

for (const [name, make] of oneShotBodies) {
  test(`${name} body is sent once: 401 invalid_token refuses with BODY_NOT_REPLAYABLE instead of re-sending it empty`, async () => {
    const h = harness();
    rejectFirstToken(h);
    const error = await h.keeper.fetch("/api/items", { method: "POST", body: make() as unknown as BodyInit, duplex: "half" } as RequestInit).catch((e: unknown) => e);
    assert.ok(isTokenKeeperError(error) && error.code === "BODY_NOT_REPLAYABLE", `expected BODY_NOT_REPLAYABLE, got ${String(error)}`);
    assert.equal(h.server.resourceRequests.map((r) => r.body.length), [payload.length], "one request, with every byte");
    await h.keeper.getToken();
    assert.is(h.server.tokenRequests.length, 2, "the rejected token was dropped");
  });

  test(`${name} body is not re-sent on a same-origin 307: the 307 comes back`, async () => {
    const h = harness();
    redirectOnce(h);
    const response = await h.keeper.fetch("/api/old", { method: "POST", body: make() as unknown as BodyInit, duplex: "half" } as RequestInit);
    assert.is(response.status, 307);
    assert.equal(h.server.resourceRequests.map((r) => r.body.length), [payload.length], "one request, with every byte");
  });
}

test("a Buffer body (a Uint8Array) is replayed after 401 invalid_token", async () => {
  const h = harness();
  rejectFirstToken(h);
  assert.is((await h.keeper.fetch("/api/items", { method: "POST", body: Buffer.from(payload) })).status, 200);
  assert.equal(h.server.resourceRequests.map((r) => r.body.length), [payload.length, payload.length]);
});

test.run();
