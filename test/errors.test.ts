import { suite } from "uvu";
import * as assert from "uvu/assert";
import { customClientAuth, isTokenKeeperError, privateKeyJwt, TokenEndpointError, TokenKeeperError } from "../mod.ts";
import { createTestServer, harness, issueToken, json, SECRET, tick } from "./helpers/token-server.ts";

const test = suite("token endpoint errors and retries");

async function failure(promise: Promise<unknown>): Promise<TokenKeeperError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenKeeperError(error), `expected a TokenKeeperError, got ${String(error)}`);
  return error;
}

for (const code of ["invalid_request", "invalid_scope", "unauthorized_client", "unsupported_grant_type", "invalid_grant", "invalid_target"]) {
  test(`400 ${code} is a typed OAuth error, never retried, nothing cached`, async () => {
    const { keeper, server } = harness();
    server.replies.push(() => json({ error: code, error_description: "Nope\r\nInjected: header", error_uri: "https://as.test/e" }, 400));
    const error = await failure(keeper.getToken());
    assert.instance(error, TokenEndpointError);
    const oauthError = error as TokenEndpointError;
    assert.is(oauthError.code, "OAUTH_ERROR");
    assert.is(oauthError.error, code);
    assert.is(oauthError.error_description, "Nope Injected: header");
    assert.is(oauthError.error_uri, "https://as.test/e");
    assert.is(oauthError.status, 400);
    assert.is(oauthError.retryable, false);
    assert.is(server.tokenRequests.length, 1, "no automatic retry");
  });
}

test("401 invalid_client with WWW-Authenticate: Basic surfaces as invalid_client", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ error: "invalid_client" }, 401, { "www-authenticate": 'Basic realm="as"' }));
  const error = (await failure(keeper.getToken())) as TokenEndpointError;
  assert.is(error.error, "invalid_client");
  assert.is(error.status, 401);
  assert.is(server.tokenRequests.length, 1);
});

test("401 with a Basic challenge and no body still surfaces as invalid_client", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="as"' } }));
  const error = (await failure(keeper.getToken())) as TokenEndpointError;
  assert.is(error.error, "invalid_client");
});

test("401 invalid_client without a challenge surfaces as invalid_client", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ error: "invalid_client" }, 401));
  assert.is(((await failure(keeper.getToken())) as TokenEndpointError).error, "invalid_client");
});

test("503 is retried with backoff, then succeeds", async () => {
  const { keeper, server, events } = harness();
  server.replies.push(() => new Response("busy", { status: 503, headers: { "retry-after": "0" } }));
  server.replies.push(() => new Response("busy", { status: 503 }));
  const token = await keeper.getToken();
  assert.type(token.accessToken, "string");
  assert.is(server.tokenRequests.length, 3);
  assert.is(events.filter((e) => e.type === "retry_scheduled").length, 2);
});

test("500 keeps failing: bounded attempts, then an HTTP_ERROR with status and a bounded snippet", async () => {
  const { keeper, server } = harness();
  for (let i = 0; i < 5; i++) server.replies.push(() => new Response(`<html>${"x".repeat(2000)}\u0007</html>`, { status: 500, headers: { "content-type": "text/html" } }));
  const error = await failure(keeper.getToken());
  assert.is(error.code, "HTTP_ERROR");
  assert.is(error.status, 500);
  assert.is(server.tokenRequests.length, 3, "three attempts by default");
  assert.ok(error.bodySnippet!.length <= 257);
  assert.not.match(error.bodySnippet!, /[\u0000-\u001f]/);
});

test("429 honours Retry-After in seconds", async () => {
  const { keeper, server, events } = harness({ retry: { maxDelayMs: 5 } });
  server.replies.push(() => json({ error: "slow_down" }, 429, { "retry-after": "3" }));
  await keeper.getToken();
  const retry = events.find((e) => e.type === "retry_scheduled");
  assert.ok(retry && retry.type === "retry_scheduled");
  assert.is(retry.delayMs, 5, "Retry-After 3 s, capped by maxDelayMs");
  assert.is(server.tokenRequests.length, 2);
});

test("200 with an HTML body fails with INVALID_RESPONSE and caches nothing", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => new Response("<html>login</html>", { status: 200, headers: { "content-type": "text/html" } }));
  server.replies.push(() => new Response("<html>login</html>", { status: 200, headers: { "content-type": "application/json" } }));
  for (let i = 0; i < 2; i++) {
    const error = await failure(keeper.getToken());
    assert.is(error.code, "INVALID_RESPONSE");
    assert.is(error.status, 200);
  }
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 3);
});

for (const [name, body] of [["[]", "[]"], ["null", "null"], ['"token"', '"token"']] as const) {
  test(`200 with top-level ${name} is rejected`, async () => {
    const { keeper, server } = harness();
    server.replies.push(() => json(body));
    assert.is((await failure(keeper.getToken())).code, "INVALID_RESPONSE");
  });
}

test("token_type is compared case-insensitively and reported as canonical Bearer", async () => {
  for (const type of ["bearer", "BEARER", "bEARER"]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: "t1", token_type: type, expires_in: 60 }));
    assert.is((await keeper.getToken()).tokenType, "Bearer");
  }
});

test("an absent token_type is rejected", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", expires_in: 60 }));
  assert.is((await failure(keeper.getToken())).code, "INVALID_RESPONSE");
});

test("an unknown token_type is rejected with UNSUPPORTED_TOKEN_TYPE", async () => {
  for (const type of ["mac", "N_A", "urn:x:custom", "DPoP"]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: "t1", token_type: type, expires_in: 60 }));
    assert.is((await failure(keeper.getToken())).code, "UNSUPPORTED_TOKEN_TYPE", type);
  }
});

test("malformed expires_in values are rejected; numeric strings and floats are tolerated", async () => {
  for (const value of ["abc", null, -1, true, "12abc"]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", expires_in: value }));
    assert.is((await failure(keeper.getToken())).code, "INVALID_RESPONSE", String(value));
  }
  for (const value of ["3600", 3600.5]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", expires_in: value }));
    await keeper.getToken();
  }
});

test("an access token with CR, LF or non-VSCHAR characters never reaches a header", async () => {
  for (const value of ["abc\r\nX-Injected: 1", "tök", "a\u0000b", "a b"]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: value, token_type: "Bearer", expires_in: 60 }));
    const error = await failure(keeper.fetch("/api/x"));
    assert.is(error.code, "INVALID_RESPONSE");
    assert.is(server.resourceRequests.length, 0);
  }
});

test("201, 204 and a redirect from the token endpoint are rejected", async () => {
  for (const reply of [
    () => json({ access_token: "t1", token_type: "Bearer" }, 201),
    () => new Response(null, { status: 204 }),
    () => new Response(null, { status: 307, headers: { location: "https://evil.test/token" } }),
  ]) {
    const { keeper, server } = harness();
    server.replies.push(reply);
    assert.is((await failure(keeper.getToken())).code, "HTTP_ERROR");
    assert.is(server.tokenRequests.length, 1, "a redirect is never followed with the secret");
  }
});

test("200 with WWW-Authenticate from a gateway is accepted", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer" }, 200, { "www-authenticate": 'Key realm="kong"' }));
  assert.is((await keeper.getToken()).accessToken, "t1");
});

test("unknown response members are ignored and never used for expiry", async () => {
  const { keeper, server, clock } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", expires_in: 300, expires_on: "1605686811", ext_expires_in: "3599", refresh_in: 1800, not_before: 1, example_parameter: "x" }));
  assert.is((await keeper.getToken()).expiresAt - clock.now(), 300_000);
});

test("an id_token in a client-credentials response is ignored", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", id_token: "not.a.jwt" }));
  assert.is((await keeper.getToken()).accessToken, "t1");
});

test("a response body over 64 KiB is refused", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", pad: "x".repeat(70_000) }));
  const error = await failure(keeper.getToken());
  assert.is(error.code, "INVALID_RESPONSE");
  assert.match(error.message, /exceeds 65536 bytes/);
});

test("a network error is retried and then surfaces as NETWORK_ERROR", async () => {
  const server = createTestServer();
  let attempts = 0;
  server.fetch = async () => {
    attempts++;
    throw new TypeError("fetch failed");
  };
  const { keeper } = harness({}, server);
  const error = await failure(keeper.getToken());
  assert.is(error.code, "NETWORK_ERROR");
  assert.is(error.retryable, true);
  assert.is(attempts, 3);
});

test("a token request that never answers times out after timeoutMs", async () => {
  const { keeper, server } = harness({ timeoutMs: 5, retry: false });
  server.replies.push(() => new Promise<Response>(() => {}));
  const error = await failure(keeper.getToken());
  assert.is(error.code, "TIMEOUT");
});

test("a body that trickles past the deadline times out too", async () => {
  const { keeper, server } = harness({ timeoutMs: 20, retry: false });
  server.replies.push(() => new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('{"access_token":')); } }), { headers: { "content-type": "application/json" } }));
  assert.is((await failure(keeper.getToken())).code, "TIMEOUT");
});

test("a private key that cannot sign is a local CREDENTIAL_UNUSABLE error: nothing sent, not retried", async () => {
  const { privateKey } = await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    false,
    ["encrypt", "decrypt"],
  );
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: privateKeyJwt(privateKey) });
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.is(error.retryable, false);
  assert.match(error.message, /cannot be used/);
  assert.is(server.tokenRequests.length, 0, "nothing was sent");
});

test("a custom client authentication that throws is CREDENTIAL_UNUSABLE, and its message is not shown", async () => {
  const { keeper, server } = harness({
    clientSecret: undefined,
    clientAuth: customClientAuth("client_secret_post", () => {
      throw new RangeError(`vault answered ${SECRET}`);
    }),
  });
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /threw RangeError/);
  assert.not.ok(error.message.includes(SECRET));
  assert.is(server.tokenRequests.length, 0);
});

test("a custom client authentication that adds no credential never sends the request", async () => {
  const { keeper, server } = harness({
    clientSecret: undefined,
    clientAuth: customClientAuth("private_key_jwt", (_as, client, body) => void body.set("client_id", client.client_id)),
  });
  const error = await failure(keeper.getToken());
  assert.is(error.code, "CREDENTIAL_UNUSABLE");
  assert.match(error.message, /added no client credential/);
  assert.is(server.tokenRequests.length, 0);
});

test("repeated failures trigger a cooldown: no request is sent until it ends", async () => {
  const { keeper, server, clock, events } = harness({ retry: { maxAttempts: 1, cooldownAfterFailures: 2, cooldownMs: 1_000 } });
  for (let i = 0; i < 3; i++) server.replies.push(() => json({ error: "invalid_client" }, 401));
  await failure(keeper.getToken());
  await failure(keeper.getToken());
  const cooling = await failure(keeper.getToken());
  assert.is(cooling.code, "COOLDOWN");
  assert.is(server.tokenRequests.length, 2);
  assert.ok(events.some((e) => e.type === "cooldown"));
  clock.advance(1_000);
  await failure(keeper.getToken());
  assert.is(server.tokenRequests.length, 3);
});

test("serve while valid: a failed refresh in the soft window keeps serving the token and reports the failure", async () => {
  const { keeper, server, clock, events } = harness({ retry: false });
  const first = await keeper.getToken();
  server.replies.push(() => new Response("down", { status: 503 }));
  clock.advance(280_000);
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  await tick();
  await tick();
  const failed = events.find((e) => e.type === "token_request_failed");
  assert.ok(failed && failed.type === "token_request_failed" && failed.servingStale && failed.refresh);
  clock.advance(15_000); // hard window: the caller waits, the refresh fails, the still-valid token is served
  server.replies.push(() => new Response("down", { status: 503 }));
  assert.is((await keeper.getToken()).accessToken, first.accessToken);
  clock.advance(10_000); // expired: now the error shows
  server.replies.push(() => new Response("down", { status: 503 }));
  assert.is((await failure(keeper.getToken())).code, "HTTP_ERROR");
  void issueToken;
});

test("no error or event ever holds the client secret or an access token", async () => {
  const { keeper, server, events } = harness();
  const errors: unknown[] = [];
  const replies = [
    () => json({ error: "invalid_client", error_description: `bad secret ${SECRET}` }, 401),
    () => json({ access_token: "SENTINEL_AT_1", token_type: "mac" }),
    () => json({ access_token: "SENTINEL_AT_2", token_type: "Bearer", expires_in: "x" }),
    () => new Response(`<html>access_token=SENTINEL_AT_3</html>`, { status: 500 }),
    () => json(`{"access_token":"SENTINEL_AT_4"`, 502),
  ];
  for (const reply of replies) {
    server.replies.push(reply, reply, reply);
    errors.push(await keeper.getToken().catch((e: unknown) => e));
    await keeper.invalidate();
  }
  const text = JSON.stringify([errors, events, errors.map(String), errors.map((e) => (e as Error).message)]);
  assert.not.match(text, "SENTINEL");
  for (const error of errors) assert.ok(isTokenKeeperError(error));
});

test.run();
