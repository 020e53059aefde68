// keeper.fetch(): inputs, bodies that can or cannot be sent again, which 401s cost a new token (the
// WWW-Authenticate challenges read), the hold on a token rejected twice, and same-origin redirects.
// The RFC 6750 rules on the wire are graded by the conformance suite: the Bearer header (RS-01), the
// token only in that header (RS-02), one refresh and one replayed retry on 401 invalid_token (EXP-08,
// RS-03), no loop on 403 insufficient_scope (RS-04), no token across a cross-origin redirect (RS-08)
// or to another origin (SEC-08).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { TokenKeeperError } from "../mod.ts";
import { parseChallenges, rejectedTokenHoldMs } from "../src/lib/rejections.ts";
import { shortHash } from "../src/lib/events.ts";
import { replayLimitBytes } from "../src/lib/outgoing.ts";
import { failure, harness, json, type RecordedRequest, tick } from "./helpers/token-server.ts";

const test = suite("keeper.fetch()");


/** A resource server that rejects the first token once with 401 invalid_token. */
function rejectFirstToken(h: ReturnType<typeof harness>): void {
  h.server.resource = (request: RecordedRequest) => {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
    if (token === h.server.issued[0]) return new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer realm="x", error="invalid_token", error_description="expired"' } });
    return json({ ok: true, body: request.body, type: request.headers.get("content-type") });
  };
}

/** An API that rejects, as invalid_token, every token issued so far each time the returned function is called. */
function revocableApi(h: ReturnType<typeof harness>): () => void {
  let revoked = new Set<string>();
  h.server.resource = (request: RecordedRequest) => {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
    return token !== undefined && revoked.has(token) ? new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } }) : json({ ok: true });
  };
  return () => void (revoked = new Set(h.server.issued));
}

test("URL and Request inputs work like global fetch", async () => {
  const { keeper, server } = harness();
  await keeper.fetch(new URL("https://rs.test/api/a"));
  await keeper.fetch(new Request("https://rs.test/api/b", { method: "PUT", body: "x", headers: { "x-test": "1" } }));
  assert.is(server.resourceRequests[1]!.method, "PUT");
  assert.is(server.resourceRequests[1]!.body, "x");
  assert.is(server.resourceRequests[1]!.headers.get("x-test"), "1");
  assert.is(server.resourceRequests[1]!.headers.get("authorization"), `Bearer ${server.issued[0]}`);
});

test("a request to another origin is refused with ORIGIN_NOT_ALLOWED and never sent", async () => {
  const { keeper, server } = harness();
  const error = await failure(keeper.fetch("https://evil.test/api/x"));
  assert.is(error.code, "ORIGIN_NOT_ALLOWED");
  assert.is(server.tokenRequests.length, 0, "not even a token is requested");
  assert.is(server.resourceRequests.length, 0);
});

test("allowedOrigins extends where the token may go; http on an allowed host is still refused", async () => {
  const { keeper, server } = harness({ allowedOrigins: ["https://api2.test"] });
  server.resource = () => json({ ok: true });
  assert.is((await keeper.fetch("https://api2.test/x")).status, 200);
  assert.is((await failure(keeper.fetch("http://rs.test/api/x"))).code, "ORIGIN_NOT_ALLOWED");
});

test("without baseUrl a relative URL is a TypeError", async () => {
  const { keeper } = harness({ baseUrl: undefined, allowedOrigins: ["https://rs.test"] });
  const error = await keeper.fetch("/api/x").catch((e: unknown) => e);
  assert.instance(error, TypeError);
});

for (const baseUrl of ["https://rs.test/api/v2", "https://rs.test/api/v2/"]) {
  test(`a path in baseUrl is a prefix for relative inputs, with or without a leading slash (${baseUrl})`, async () => {
    const { keeper, server } = harness({ baseUrl });
    for (const input of ["/accounts", "accounts", "/accounts/1?expand=owner", "./accounts", "a/../accounts", "/at:noon"]) assert.is((await keeper.fetch(input)).status, 200, input);
    assert.equal(server.resourceRequests.map((r) => r.url), [
      "https://rs.test/api/v2/accounts",
      "https://rs.test/api/v2/accounts",
      "https://rs.test/api/v2/accounts/1?expand=owner",
      "https://rs.test/api/v2/accounts",
      "https://rs.test/api/v2/accounts",
      "https://rs.test/api/v2/at:noon",
    ]);
  });
}

test("a query alone goes on baseUrl as written", async () => {
  const { keeper, server } = harness({ baseUrl: "https://rs.test/api/v2" });
  await keeper.fetch("?page=2");
  const slashed = harness({ baseUrl: "https://rs.test/api/v2/" }, server);
  await slashed.keeper.fetch("?page=3");
  assert.equal(server.resourceRequests.map((r) => r.url), ["https://rs.test/api/v2?page=2", "https://rs.test/api/v2/?page=3"]);
});

test("an absolute URL input is used as is, never under the baseUrl path, and must be on an allowed origin", async () => {
  const { keeper, server } = harness({ baseUrl: "https://rs.test/api/v2" });
  await keeper.fetch("https://rs.test/api/other");
  await keeper.fetch(new URL("https://rs.test/api/url"));
  await keeper.fetch(new Request("https://rs.test/api/request"));
  assert.equal(server.resourceRequests.map((r) => r.url), ["https://rs.test/api/other", "https://rs.test/api/url", "https://rs.test/api/request"]);
  for (const input of ["https://evil.test/api/v2/x", "//evil.test/api/v2/x", "\\\\evil.test/x", " //evil.test/x", "/\t/evil.test/x"]) {
    const error = await keeper.fetch(input).catch((e: unknown) => e);
    assert.ok(error instanceof TypeError || (error as TokenKeeperError).code === "ORIGIN_NOT_ALLOWED", `${JSON.stringify(input)}: ${String(error)}`);
  }
  assert.is(server.resourceRequests.length, 3, "nothing sent elsewhere");
});

test("a relative path that leaves the baseUrl path is a TypeError, never sent", async () => {
  const { keeper, server } = harness({ baseUrl: "https://rs.test/api/v2" });
  for (const input of ["../admin", "/../admin", "%2e%2e/admin", "a/../../admin", "\\..\\admin", ".."]) {
    const error = await keeper.fetch(input).catch((e: unknown) => e);
    assert.instance(error, TypeError, input);
    assert.match((error as Error).message, /leaves baseUrl's path "\/api\/v2\/"/, input);
  }
  assert.is(server.resourceRequests.length, 0);
  assert.is(server.tokenRequests.length, 0);
});

for (const [name, make] of [
  ["bytes", () => new TextEncoder().encode("hello=world")],
  ["URLSearchParams", () => new URLSearchParams({ hello: "world" })],
  ["a Blob", () => new Blob(["hello=world"], { type: "text/plain" })],
  ["FormData", () => { const f = new FormData(); f.set("hello", "world"); return f; }],
] as const) {
  test(`401 invalid_token invalidates, gets a new token and retries once with the same body (${name})`, async () => {
    const h = harness();
    rejectFirstToken(h);
    const response = await h.keeper.fetch("/api/items", { method: "POST", body: make() as BodyInit });
    assert.is(response.status, 200);
    const [first, second] = h.server.resourceRequests;
    assert.is(h.server.resourceRequests.length, 2);
    assert.is(h.server.tokenRequests.length, 2);
    // Multipart bodies get a fresh boundary each time they are serialised; the content is the same.
    const content = (body: string) => body.replace(/-{2,}[-\w]+/g, "--boundary");
    assert.is(content(second!.body), content(first!.body), "the body is replayed");
    assert.ok(first!.body.includes("hello"));
    assert.is(second!.headers.get("authorization"), `Bearer ${h.server.issued[1]}`);
  });
}

test("a Request input's body is replayed after 401 invalid_token from the bytes read ahead before the first send (ky, openapi-fetch)", async () => {
  const h = harness();
  rejectFirstToken(h);
  const request = new Request("https://rs.test/api/items", { method: "PATCH", body: "from-a-request", headers: { "content-type": "text/plain" } });
  assert.is((await h.keeper.fetch(request)).status, 200);
  assert.equal(h.server.resourceRequests.map((r) => [r.method, r.body]), [["PATCH", "from-a-request"], ["PATCH", "from-a-request"]]);
});

test("a Request input without a body is replayed after 401 invalid_token", async () => {
  const h = harness();
  rejectFirstToken(h);
  assert.is((await h.keeper.fetch(new Request("https://rs.test/api/items", { headers: { "x-test": "1" } }))).status, 200);
  assert.equal(h.server.resourceRequests.map((r) => [r.method, r.headers.get("x-test")]), [["GET", "1"], ["GET", "1"]]);
});

test("401 invalid_token with a stream body invalidates and refuses with BODY_NOT_REPLAYABLE", async () => {
  const h = harness();
  rejectFirstToken(h);
  const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("once")); c.close(); } });
  const error = await failure(h.keeper.fetch("/api/items", { method: "POST", body, duplex: "half" } as RequestInit));
  assert.is(error.code, "BODY_NOT_REPLAYABLE");
  assert.is(h.server.resourceRequests.length, 1, "the body was sent once, never twice");
  await h.keeper.getToken();
  assert.is(h.server.tokenRequests.length, 2, "the rejected token was dropped");
});

test("401 with another error (invalid_request) is not retried", async () => {
  const { keeper, server } = harness();
  server.resource = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_request"' } });
  assert.is((await keeper.fetch("/api/x")).status, 401);
  assert.is(server.resourceRequests.length, 1);
});

test("a Request whose streamed body ends within 1 MiB is read ahead and replayed whole: nothing is lost or sent empty", async () => {
  const h = harness();
  rejectFirstToken(h);
  const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } });
  const request = new Request("https://rs.test/api/items", { method: "POST", body, duplex: "half" } as RequestInit);
  assert.is((await h.keeper.fetch(request)).status, 200);
  assert.equal(h.server.resourceRequests.map((r) => r.body), ["streamed", "streamed"]);
});

test("a Request given a string body in init is replayed after 401 invalid_token", async () => {
  const h = harness();
  rejectFirstToken(h);
  const streamed = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("replaced")); c.close(); } });
  const request = new Request("https://rs.test/api/items", { method: "PUT", body: streamed, duplex: "half" } as RequestInit);
  assert.is((await h.keeper.fetch(request, { body: "from-init" })).status, 200);
  assert.equal(h.server.resourceRequests.map((r) => r.body), ["from-init", "from-init"]);
});

test("a Request whose streamed body ends within 1 MiB follows a same-origin 307 with its whole body", async () => {
  const { keeper, server } = harness();
  server.resource = (request) => request.url.endsWith("/old")
    ? new Response(null, { status: 307, headers: { location: "/api/new" } })
    : json({ body: request.body });
  const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("whole")); c.close(); } });
  const response = await keeper.fetch(new Request("https://rs.test/api/old", { method: "POST", body, duplex: "half" } as RequestInit));
  assert.is(response.status, 200);
  assert.equal(server.resourceRequests.map((r) => r.body), ["whole", "whole"]);
});

/** A stream of `size` bytes in 64 KiB chunks, made as it is read; `read()` says how many were read. */
function generated(size: number): { stream: ReadableStream<Uint8Array>; read: () => number } {
  let read = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (read >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(65_536, size - read)).fill(120);
      read += chunk.byteLength;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, read: () => read };
}

test("a Request whose streamed body is longer than 1 MiB is sent once with every byte: a 401 then rejects with BODY_NOT_REPLAYABLE", async () => {
  const h = harness();
  rejectFirstToken(h);
  const size = replayLimitBytes + 1;
  const request = new Request("https://rs.test/api/items", { method: "PUT", body: generated(size).stream, duplex: "half" } as RequestInit);
  const error = await failure(h.keeper.fetch(request));
  assert.is(error.code, "BODY_NOT_REPLAYABLE");
  assert.equal(h.server.resourceRequests.map((r) => r.body.length), [size], "one request, with every byte");
  await h.keeper.getToken();
  assert.is(h.server.tokenRequests.length, 2, "the rejected token was dropped");
});

test("a Request whose streamed body is longer than 1 MiB is not re-sent on a same-origin 307: the 307 comes back", async () => {
  const { keeper, server } = harness();
  server.resource = (request) => request.url.endsWith("/old")
    ? new Response(null, { status: 307, headers: { location: "/api/new" } })
    : json({ ok: true });
  const size = 2 * replayLimitBytes;
  const response = await keeper.fetch(new Request("https://rs.test/api/old", { method: "POST", body: generated(size).stream, duplex: "half" } as RequestInit));
  assert.is(response.status, 307);
  assert.equal(server.resourceRequests.map((r) => r.body.length), [size]);
});

test("a Request body of exactly 1 MiB is kept and replayed after 401 invalid_token", async () => {
  const h = harness();
  rejectFirstToken(h);
  const request = new Request("https://rs.test/api/items", { method: "PUT", body: generated(replayLimitBytes).stream, duplex: "half" } as RequestInit);
  assert.is((await h.keeper.fetch(request)).status, 200);
  assert.equal(h.server.resourceRequests.map((r) => r.body.length), [replayLimitBytes, replayLimitBytes]);
});

test("a Request given a stream body in init sends that body once and never reads the Request's own", async () => {
  const h = harness();
  rejectFirstToken(h);
  const own = generated(10);
  const request = new Request("https://rs.test/api/items", { method: "PUT", body: own.stream, duplex: "half" } as RequestInit);
  const error = await failure(h.keeper.fetch(request, { body: generated(5).stream, duplex: "half" } as RequestInit));
  assert.is(error.code, "BODY_NOT_REPLAYABLE");
  assert.equal(h.server.resourceRequests.map((r) => r.body), ["xxxxx"]);
  assert.is(own.read(), 0);
});

test("a Request whose body was read already is a TypeError, never sent empty", async () => {
  const { keeper, server } = harness();
  const request = new Request("https://rs.test/api/items", { method: "POST", body: "payload" });
  await request.text();
  const error = await keeper.fetch(request).catch((e: unknown) => e);
  assert.instance(error, TypeError);
  assert.is(server.resourceRequests.length, 0);
});

test("aborting while a Request's body is read ahead rejects with the signal's reason, cancels the body and sends nothing", async () => {
  const { keeper, server } = harness();
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new Uint8Array(10)); }, cancel(reason) { cancelled = reason; } });
  const controller = new AbortController();
  const request = new Request("https://rs.test/api/items", { method: "PUT", body, duplex: "half", signal: controller.signal } as RequestInit);
  const call = keeper.fetch(request).catch((e: unknown) => e);
  await tick();
  const reason = new Error("caller gave up");
  controller.abort(reason);
  assert.is(await call, reason);
  assert.is(cancelled, reason, "the body is cancelled with the reason");
  assert.is(server.resourceRequests.length, 0);
});

/** A shape-alike of a `Request` from another realm or another copy of the class (undici's, a vm context's). */
function foreignRequest(url: string, init: RequestInit = {}): Request {
  const real = new Request(url, init);
  const headers = Object.fromEntries(real.headers);
  return {
    url: real.url,
    method: real.method,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null, [Symbol.iterator]: () => Object.entries(headers)[Symbol.iterator]() },
    get body() { return real.body; },
    get bodyUsed() { return real.bodyUsed; },
    redirect: real.redirect,
    signal: real.signal,
    clone: () => foreignRequest(url, init),
    arrayBuffer: () => real.arrayBuffer(),
    text: () => real.text(),
    toString: () => "[object Request]",
    [Symbol.toStringTag]: "Request",
  } as unknown as Request;
}

test("a Request-like GET from another realm is sent as the caller built it", async () => {
  const { keeper, server } = harness();
  const response = await keeper.fetch(foreignRequest("https://rs.test/api/items?q=1", { headers: { "x-test": "foreign" } }));
  assert.is(response.status, 200);
  const [request] = server.resourceRequests;
  assert.is(server.resourceRequests.length, 1);
  assert.is(request!.url, "https://rs.test/api/items?q=1");
  assert.is(request!.method, "GET");
  assert.is(request!.headers.get("x-test"), "foreign");
  assert.is(request!.headers.get("authorization"), `Bearer ${server.issued[0]}`);
});

test("a Request-like POST with a body from another realm is sent as the caller built it", async () => {
  const { keeper, server } = harness();
  const response = await keeper.fetch(foreignRequest("https://rs.test/api/items", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }));
  assert.is(response.status, 200);
  assert.equal(server.resourceRequests.map((r) => [r.url, r.method, r.body, r.headers.get("content-type")]), [["https://rs.test/api/items", "POST", "a=1", "application/x-www-form-urlencoded"]]);
});

test("a Request-like object for another origin is refused, not sent to baseUrl", async () => {
  const { keeper, server } = harness();
  const error = await failure(keeper.fetch(foreignRequest("https://evil.test/api/x")));
  assert.is(error.code, "ORIGIN_NOT_ALLOWED");
  assert.is(server.resourceRequests.length, 0);
});

test("a Request-like object whose body is no ReadableStream of this realm is refused, never sent", async () => {
  const { keeper, server } = harness();
  const like = Object.defineProperty(foreignRequest("https://rs.test/api/items", { method: "POST", body: "a=1" }), "body", { value: { getReader() {} } });
  const error = await keeper.fetch(like).catch((e: unknown) => e);
  assert.instance(error, TypeError);
  assert.is(server.resourceRequests.length, 0);
});

test("an object that is neither a URL nor a Request is a TypeError, never a path under baseUrl", async () => {
  const { keeper, server } = harness();
  for (const input of [{}, { url: "https://rs.test/api/x", method: "GET" }]) {
    const error = await keeper.fetch(input as unknown as Request).catch((e: unknown) => e);
    assert.instance(error, TypeError);
  }
  assert.is(server.resourceRequests.length, 0);
  assert.is(server.tokenRequests.length, 0);
});

test("an API that rejects every token costs 2 token requests over 20 calls, not one per call", async () => {
  const { keeper, server, events, clock } = harness();
  server.resource = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
  for (let i = 0; i < 20; i++) assert.is((await keeper.fetch("/api/x")).status, 401);
  assert.is(server.tokenRequests.length, 2);
  assert.is(server.resourceRequests.length, 21, "one retry, on the first call only");
  const held = events.filter((e) => e.type === "token_rejected_again");
  assert.is(held.length, 1, "one event says the refreshed token was rejected too");
  const key = events.find((e) => e.type === "token_fetched")!.key;
  assert.equal(held[0], { type: "token_rejected_again", key, tokenHash: shortHash(server.issued[1]!), until: clock.now() + rejectedTokenHoldMs });
  assert.not.ok(JSON.stringify(events).includes(server.issued[1]!), "no event carries the token");
});

test("a token endpoint that issues the same token again, to an API that rejects it, costs 2 token requests over 20 calls", async () => {
  const { keeper, server } = harness();
  const same = () => json({ access_token: "the-same-token", token_type: "Bearer", expires_in: 300 });
  server.replies.push(...Array.from({ length: 20 }, () => same));
  server.resource = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
  for (let i = 0; i < 20; i++) assert.is((await keeper.fetch("/api/x")).status, 401);
  assert.is(server.tokenRequests.length, 2);
  assert.is(server.resourceRequests.length, 21, "one retry, on the first call only");
});

test("after the hold of a twice-rejected token the next 401 refreshes once more", async () => {
  const { keeper, server, clock } = harness();
  server.resource = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
  await keeper.fetch("/api/x");
  clock.advance(rejectedTokenHoldMs - 1);
  await keeper.fetch("/api/x");
  assert.is(server.tokenRequests.length, 2, "still held just before the hold ends");
  clock.advance(1);
  await keeper.fetch("/api/x");
  assert.is(server.tokenRequests.length, 3, "one more refresh once the hold ends");
  await keeper.fetch("/api/x");
  assert.is(server.tokenRequests.length, 3, "and that refreshed token is held in turn");
});

test("a stream body to an API that rejects every token costs 2 token requests over 20 calls", async () => {
  const { keeper, server } = harness();
  server.resource = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
  const outcomes: (number | string)[] = [];
  for (let i = 0; i < 20; i++) {
    const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("x")); c.close(); } });
    outcomes.push(await keeper.fetch("/api/x", { method: "POST", body, duplex: "half" } as RequestInit).then((r) => r.status, (e: TokenKeeperError) => e.code));
  }
  assert.is(server.tokenRequests.length, 2);
  assert.equal(outcomes.slice(0, 3), ["BODY_NOT_REPLAYABLE", 401, 401]);
});

/** A resource server that rejects every token on /api/bad (and accepts the latest elsewhere), and a second origin that accepts any. */
function rejectOnePath(h: ReturnType<typeof harness>): void {
  const reject = () => new Response(null, { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
  const accept = h.server.resource;
  h.server.resource = (request) => {
    const url = new URL(request.url);
    if (url.origin === "https://api2.test") return json({ ok: true });
    return url.pathname.startsWith("/api/bad") ? reject() : accept(request);
  };
}

test("40 rejected calls cost at most 3 token requests while a loop of the keeper's calls succeeds alongside", async () => {
  const h = harness({ allowedOrigins: ["https://api2.test"] });
  rejectOnePath(h);
  let stop = false;
  const accepted: number[] = [];
  const loop = (async () => {
    while (!stop) accepted.push((await h.keeper.fetch("/api/ok")).status, (await h.keeper.fetch("https://api2.test/ok")).status);
  })();
  for (let i = 0; i < 40; i++) assert.is((await h.keeper.fetch("/api/bad")).status, 401);
  stop = true;
  await loop;
  assert.ok(accepted.length > 40, `${accepted.length} calls succeeded alongside`);
  assert.ok(accepted.every((status) => status === 200));
  assert.ok(h.server.tokenRequests.length <= 3, `${h.server.tokenRequests.length} token requests`);
  assert.is(h.events.filter((e) => e.type === "token_rejected_again").length, 1);
});

test("40 concurrent rejected calls cost at most 3 token requests while calls succeed alongside on another path and another origin", async () => {
  const h = harness({ allowedOrigins: ["https://api2.test"] });
  rejectOnePath(h);
  let stop = false;
  const accepted: number[] = [];
  const loops = ["/api/ok", "https://api2.test/ok"].map(async (url) => {
    while (!stop) accepted.push((await h.keeper.fetch(url)).status);
  });
  for (let round = 0; round < 4; round++) {
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => h.keeper.fetch(`/api/bad/${i}`).then((r) => r.status)));
    assert.equal(statuses, Array(10).fill(401));
  }
  stop = true;
  await Promise.all(loops);
  assert.ok(accepted.length > 0 && accepted.every((status) => status === 200));
  assert.ok(h.server.tokenRequests.length <= 3, `${h.server.tokenRequests.length} token requests`);
});

test("concurrent 401s for one token cost one token request, and each call is sent again once with the new token", async () => {
  const h = harness();
  rejectFirstToken(h);
  await h.keeper.getToken();
  const statuses = await Promise.all(Array.from({ length: 20 }, () => h.keeper.fetch("/api/x").then((r) => r.status)));
  assert.equal(statuses, Array(20).fill(200));
  assert.is(h.server.tokenRequests.length, 2);
  assert.is(h.server.resourceRequests.length, 40);
});

test("a replacement that succeeds elsewhere but is rejected within the hold window is held: success elsewhere does not lift it", async () => {
  const h = harness();
  const revokeIssued = revocableApi(h);
  await h.keeper.fetch("/api/x");
  revokeIssued();
  assert.is((await h.keeper.fetch("/api/x")).status, 200, "first token revoked: refreshed and sent again");
  assert.is((await h.keeper.fetch("/api/x")).status, 200, "the replacement is accepted");
  revokeIssued();
  h.clock.advance(rejectedTokenHoldMs - 1);
  assert.is((await h.keeper.fetch("/api/x")).status, 401, "rejected within the window: held");
  assert.is(h.server.tokenRequests.length, 2);
});

test("a refreshed token that was accepted is refreshed again when it is rejected after the hold window", async () => {
  const h = harness();
  const revokeIssued = revocableApi(h);
  await h.keeper.fetch("/api/x");
  revokeIssued();
  assert.is((await h.keeper.fetch("/api/x")).status, 200, "first token revoked: refreshed and retried");
  h.clock.advance(rejectedTokenHoldMs);
  revokeIssued();
  assert.is((await h.keeper.fetch("/api/x")).status, 200, "the second, revoked later, is refreshed too");
  assert.is(h.server.tokenRequests.length, 3);
});

for (const [name, challenge] of [
  ["no WWW-Authenticate", undefined],
  ["a Bearer challenge naming no error", 'Bearer realm="api"'],
  ["a DPoP challenge with invalid_token", 'DPoP error="invalid_token", algs="ES256"'],
  ["Basic and a Bearer challenge naming no error", 'Basic realm="a", Bearer realm="b"'],
] as const) {
  test(`a 401 with ${name} refreshes once and retries once`, async () => {
    const { keeper, server } = harness();
    server.resource = () => new Response(null, { status: 401, headers: challenge === undefined ? {} : { "www-authenticate": challenge } });
    assert.is((await keeper.fetch("/api/x")).status, 401);
    assert.is(server.tokenRequests.length, 2);
    assert.is(server.resourceRequests.length, 2);
  });
}

for (const challenge of ['Basic realm="api"', 'Negotiate, Basic realm="api"', 'Digest realm="api", nonce="n", qop="auth"']) {
  test(`a 401 whose only challenges are other schemes (${challenge.split(/[ ,]/)[0]}) is returned: no refresh, no retry`, async () => {
    const { keeper, server } = harness();
    server.resource = () => new Response(null, { status: 401, headers: { "www-authenticate": challenge } });
    for (let i = 0; i < 5; i++) assert.is((await keeper.fetch("/api/x")).status, 401);
    assert.is(server.tokenRequests.length, 1);
    assert.is(server.resourceRequests.length, 5);
  });
}

test("a same-origin redirect is followed with the token", async () => {
  const { keeper, server } = harness();
  server.resource = (request) => request.url.endsWith("/old")
    ? new Response(null, { status: 307, headers: { location: "/api/new" } })
    : json({ auth: request.headers.get("authorization"), body: request.body });
  const response = await keeper.fetch("/api/old", { method: "POST", body: "payload" });
  const result = await response.json() as { auth: string; body: string };
  assert.is(result.auth, `Bearer ${server.issued[0]}`);
  assert.is(result.body, "payload", "307 replays the body");
});

test("a 303 redirect switches to GET without a body", async () => {
  const { keeper, server } = harness();
  server.resource = (request) => request.url.endsWith("/old")
    ? new Response(null, { status: 303, headers: { location: "/api/new" } })
    : json({ method: request.method, body: request.body });
  const result = await (await keeper.fetch("/api/old", { method: "POST", body: "payload" })).json() as { method: string; body: string };
  assert.equal(result, { method: "GET", body: "" });
});

test("redirect: manual returns the redirect as is", async () => {
  const { keeper, server } = harness();
  server.resource = () => new Response(null, { status: 302, headers: { location: "/api/elsewhere" } });
  assert.is((await keeper.fetch("/api/x", { redirect: "manual" })).status, 302);
  assert.is(server.resourceRequests.length, 1);
});

test("a caller's Authorization header is replaced by the keeper's", async () => {
  const { keeper, server } = harness();
  await keeper.fetch("/api/x", { headers: { authorization: "Basic abc" } });
  assert.is(server.resourceRequests[0]!.headers.get("authorization"), `Bearer ${server.issued[0]}`);
});

test.run();

const challenges = suite("WWW-Authenticate parsing");

challenges("parses a Bearer challenge with quoted and token parameters", () => {
  assert.equal(parseChallenges('Bearer realm="x", error="invalid_token", error_description="The token \\"expired\\""'), [
    { scheme: "bearer", parameters: Object.assign(Object.create(null), { realm: "x", error: "invalid_token", error_description: 'The token "expired"' }) },
  ]);
});

challenges("parses several challenges and lowercases schemes and parameter names", () => {
  const challenges = parseChallenges('Basic realm="as", DPoP algs="ES256", error=use_dpop_nonce, Bearer ERROR="insufficient_scope", scope="admin"');
  assert.equal(challenges.map((c) => c.scheme), ["basic", "dpop", "bearer"]);
  assert.is(challenges[1]!.parameters["error"], "use_dpop_nonce");
  assert.is(challenges[2]!.parameters["error"], "insufficient_scope");
  assert.is(challenges[2]!.parameters["scope"], "admin");
});

challenges("a token68 challenge and a bare scheme parse without parameters", () => {
  assert.equal(parseChallenges("Negotiate abc123==, Bearer").map((c) => c.scheme), ["negotiate", "bearer"]);
});

challenges("malformed headers never throw", () => {
  for (const header of ['Bearer error="unterminated', "=,=,=", "", ",,,", 'Bearer a="\\', "Bearer " + "a=b,".repeat(5000)]) {
    assert.ok(Array.isArray(parseChallenges(header)));
  }
  assert.equal(parseChallenges(null), []);
});

challenges("a parameter named like a prototype key does not pollute", () => {
  const [challenge] = parseChallenges('Bearer __proto__="x", constructor="y"');
  assert.is(({} as Record<string, unknown>)["x"], undefined);
  assert.is(challenge!.parameters["constructor"], "y");
});

challenges.run();
