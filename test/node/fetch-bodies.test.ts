// keeper.fetch() with bodies and Request objects only Node (and Bun) have: async iterables, Node
// `Readable` streams, and the undici package's own `Request` class (another copy of the class, so
// `instanceof Request` is false). Counts requests and bytes; never times anything.
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Request as UndiciRequest } from "undici";
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

test("undici's Request (another copy of the class): a GET goes out as built, with the token", async () => {
  const { keeper, server } = harness();
  const request = new UndiciRequest("https://rs.test/api/items?q=1", { headers: { "x-test": "undici" } });
  assert.not.ok((request as unknown) instanceof Request, "a foreign Request class");
  const response = await keeper.fetch(request as unknown as Request);
  assert.is(response.status, 200);
  assert.equal(server.resourceRequests.map((r) => [r.method, r.url, r.headers.get("x-test"), r.headers.get("authorization")]), [
    ["GET", "https://rs.test/api/items?q=1", "undici", `Bearer ${server.issued[0]}`],
  ]);
});

test("undici's Request (another copy of the class): a POST goes out with its method, headers and body", async () => {
  const { keeper, server } = harness();
  const request = new UndiciRequest("https://rs.test/api/items", { method: "POST", body: JSON.stringify({ a: 1 }), headers: { "content-type": "application/json" } });
  const response = await keeper.fetch(request as unknown as Request);
  assert.is(response.status, 200);
  assert.equal(server.resourceRequests.map((r) => [r.method, r.url, r.headers.get("content-type"), r.body]), [
    ["POST", "https://rs.test/api/items", "application/json", '{"a":1}'],
  ]);
});

test("undici's Request with a body is replayed whole after 401 invalid_token, from the bytes read ahead before the first send", async () => {
  const h = harness();
  rejectFirstToken(h);
  const request = new UndiciRequest("https://rs.test/api/items", { method: "PUT", body: payload });
  const response = await h.keeper.fetch(request as unknown as Request);
  assert.is(response.status, 200);
  assert.equal(h.server.resourceRequests.map((r) => [r.method, r.body.length]), [["PUT", payload.length], ["PUT", payload.length]]);
});

test.run();
