// The token endpoint (createTokenKeeper()'s getToken() as the token endpoint sees it): what a
// token request adds to the RFC and what it refuses, how a failed one becomes a TokenKeeperError, and
// the bound on a response body. The request's encoding, client authentication and the RFC 6749
// §5.1 response rules are graded by the conformance scenarios REQ-*, AUTH-*, GRANT-* and RESP-*;
// that OAuth errors are typed and never retried, and 401 invalid_client, by ERR-01 and ERR-02;
// bounded error snippets by ERR-03; secrets kept out of errors by SEC-05.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isTokenKeeperError, privateKeyJwt, TokenEndpointError, type TokenKeeperError } from "../mod.ts";
import { createTestServer, failure, form, harness, issueToken, json } from "./helpers/token-server.ts";

const requests = suite("token request");


requests("extra token parameters are sent once, beside the grant", async () => {
  const { keeper, server } = harness({ tokenParameters: { audience: "https://api.test" } });
  await keeper.getToken();
  const body = form(server.tokenRequests[0]!);
  assert.equal(body.getAll("audience"), ["https://api.test"]);
  assert.equal(body.getAll("grant_type"), ["client_credentials"]);
});

requests("lifetime counts from when the request was sent, not when the answer arrived", async () => {
  const { keeper, server, clock } = harness();
  server.replies.push(() => {
    clock.advance(100_000);
    return issueToken(server);
  });
  const sent = clock.now();
  const token = await keeper.getToken();
  assert.is(token.expiresAt, sent + 300_000);
});

requests("a numeric-string expires_in counts as that many seconds; one with trailing garbage is refused", async () => {
  const ok = harness();
  ok.server.replies.push(() => json({ access_token: "abc", token_type: "Bearer", expires_in: "3600" }));
  assert.is((await ok.keeper.getToken()).expiresAt - ok.clock.now(), 3_600_000);
  for (const value of ["12abc", "3600 s", "1e3"]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", expires_in: value }));
    assert.is((await failure(keeper.getToken())).code, "INVALID_RESPONSE", value);
  }
});

requests("a DPoP token_type answered to a keeper without a DPoP key is refused with UNSUPPORTED_TOKEN_TYPE", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "DPoP", expires_in: 60 }));
  assert.is((await failure(keeper.getToken())).code, "UNSUPPORTED_TOKEN_TYPE");
});

requests("an access token with CR, LF or non-VSCHAR characters never reaches a header", async () => {
  for (const value of ["abc\r\nX-Injected: 1", "tök", "a\u0000b", "a b"]) {
    const { keeper, server } = harness();
    server.replies.push(() => json({ access_token: value, token_type: "Bearer", expires_in: 60 }));
    const error = await failure(keeper.fetch("/api/x"));
    assert.is(error.code, "INVALID_RESPONSE");
    assert.is(server.resourceRequests.length, 0);
  }
});

requests("a redirect from the token endpoint is an HTTP_ERROR: fetched with redirect manual, never followed", async () => {
  for (const status of [302, 307, 308]) {
    const server = createTestServer();
    const modes: (RequestRedirect | undefined)[] = [];
    const inner = server.fetch;
    server.fetch = (input, init) => (modes.push(init?.redirect), inner(input, init));
    const { keeper } = harness({}, server);
    server.replies.push(() => new Response(null, { status, headers: { location: "https://evil.test/token" } }));
    assert.is((await failure(keeper.getToken())).code, "HTTP_ERROR");
    assert.is(server.tokenRequests.length, 1);
    assert.equal(modes, ["manual"], "the platform's fetch would re-POST the form on 307/308");
  }
});

requests("an id_token in a client-credentials response is ignored", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", id_token: "not.a.jwt" }));
  assert.is((await keeper.getToken()).accessToken, "t1");
});

requests("a private key that cannot sign is a local CREDENTIAL_UNUSABLE error: nothing sent, not retried", async () => {
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

requests.run();

const errors = suite("token endpoint errors");


errors("an OAuth error keeps error_description and error_uri, without control characters", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ error: "invalid_scope", error_description: "Nope\r\nInjected: header", error_uri: "https://as.test/e" }, 400));
  const error = await failure(keeper.getToken());
  assert.instance(error, TokenEndpointError);
  const oauthError = error as TokenEndpointError;
  assert.is(oauthError.code, "OAUTH_ERROR");
  assert.is(oauthError.error_description, "Nope Injected: header");
  assert.is(oauthError.error_uri, "https://as.test/e");
  assert.is(oauthError.retryable, false);
  assert.not.match(oauthError.message, /[\r\n]/);
});

errors("401 with a Basic challenge and no body still surfaces as invalid_client", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="as"' } }));
  const error = (await failure(keeper.getToken())) as TokenEndpointError;
  assert.is(error.error, "invalid_client");
  assert.is(error.status, 401);
});

errors.run();

const bodies = suite("bounded response bodies");

bodies("a response body over 64 KiB is refused", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => json({ access_token: "t1", token_type: "Bearer", pad: "x".repeat(70_000) }));
  const error = await keeper.getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenKeeperError(error));
  assert.is(error.code, "INVALID_RESPONSE");
  assert.match(error.message, /exceeds 65536 bytes/);
});

bodies.run();
