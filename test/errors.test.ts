// The error classes and their guards. What a token endpoint's errors look like is graded by the
// ERR-* and RESP-* scenarios; here: the guards, across realms and copies of the library.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isTokenEndpointError, isTokenKeeperError, TokenEndpointError, TokenKeeperError } from "../mod.ts";

const test = suite("errors");

/** An error as another copy of tokenkeeper (another bundle, another realm) would make it. */
function foreign(name: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error("from another copy"), { name, ...fields });
}

test("isTokenKeeperError() matches this copy's errors and another copy's by name and code", () => {
  assert.ok(isTokenKeeperError(new TokenKeeperError("TIMEOUT", "timed out")));
  assert.ok(isTokenKeeperError(new TokenEndpointError("failed", { error: "invalid_client", status: 401 })));
  assert.ok(isTokenKeeperError(foreign("TokenKeeperError", { code: "NETWORK_ERROR" })));
  assert.not.ok(isTokenKeeperError(foreign("TokenKeeperError", {})), "a name without a code");
  assert.not.ok(isTokenKeeperError(new TypeError("x")));
  assert.not.ok(isTokenKeeperError({ name: "TokenKeeperError", code: "TIMEOUT" }), "not an Error");
});

test("isTokenEndpointError() narrows to the OAuth fields, also for another copy's errors", () => {
  const error: unknown = new TokenEndpointError("token request failed: 400 invalid_scope", { error: "invalid_scope", error_description: "no", status: 400 });
  assert.ok(isTokenEndpointError(error));
  if (isTokenEndpointError(error)) assert.equal([error.error, error.error_description, error.status, error.code], ["invalid_scope", "no", 400, "OAUTH_ERROR"]);
  assert.ok(isTokenEndpointError(foreign("TokenEndpointError", { code: "OAUTH_ERROR", error: "invalid_client" })));
  assert.not.ok(isTokenEndpointError(new TokenKeeperError("HTTP_ERROR", "502")));
  assert.not.ok(isTokenEndpointError(foreign("TokenEndpointError", { code: "OAUTH_ERROR" })), "without an OAuth error code");
});

test("errors carry their code, status and retryability, and a cause only when given", () => {
  const cause = new Error("inner");
  const error = new TokenKeeperError("HTTP_ERROR", "502", { status: 502, retryable: true, cause });
  assert.equal([error.name, error.code, error.status, error.retryable, error.cause], ["TokenKeeperError", "HTTP_ERROR", 502, true, cause]);
  assert.not.ok("cause" in new TokenKeeperError("TIMEOUT", "t"), "no cause property without one");
});

test.run();
