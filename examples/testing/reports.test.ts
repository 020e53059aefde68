// Testing code that uses tokenkeeper, without a network: the keeper's `fetch` option is the seam.
// fake-token-server.ts answers the token endpoint and the API in this process; the exported
// `clock` option moves time for the keeper only. node:test needs nothing installed:
//   npx tsx --test examples/testing/   (node --test, once your Node runs TypeScript)
import assert from "node:assert/strict";
import { test } from "node:test";
import { clock, isTokenEndpointError, type TokenKeeperOptions } from "tokenkeeper";
import { fakeTokenServer } from "./fake-token-server.ts";
import { reportsClient } from "./reports.ts";

const credentials = { clientId: "test-client", clientSecret: "test-secret" };

function options(server: ReturnType<typeof fakeTokenServer>, more: Partial<TokenKeeperOptions> = {}): TokenKeeperOptions {
  return {
    tokenEndpoint: "https://auth.example.com/oauth2/token",
    ...credentials,
    baseUrl: "https://api.example.com",
    fetch: server.fetch, // every request of the keeper goes to the fake
    ...more,
  };
}

test("reads reports with one token request for many calls", async () => {
  const server = fakeTokenServer({ ...credentials, api: (request) => Response.json({ id: new URL(request.url).pathname.split("/").at(-1), title: "Q3" }) });
  const reports = reportsClient(options(server));
  assert.deepEqual(await reports.get("42"), { id: "42", title: "Q3" });
  await Promise.all([reports.get("43"), reports.get("44")]);
  assert.equal(server.tokenRequests.length, 1);
  assert.equal(server.tokenRequests[0]!.get("client_id"), "test-client");
  await reports.close();
});

test("a wrong secret fails with the token endpoint's invalid_client", async () => {
  const server = fakeTokenServer(credentials);
  const reports = reportsClient(options(server, { clientSecret: "wrong" }));
  await assert.rejects(reports.get("42"), (error) => isTokenEndpointError(error) && error.error === "invalid_client" && error.status === 401);
  await reports.close();
});

test("a revoked token is replaced once, and the call succeeds", async () => {
  const server = fakeTokenServer(credentials);
  const reports = reportsClient(options(server));
  await reports.get("42");
  server.revoke("fake-token-1");
  await reports.get("42");
  assert.equal(server.tokenRequests.length, 2);
  await reports.close();
});

test("an expired token is refreshed: the keeper's clock moves, no test waits", async () => {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const server = fakeTokenServer({ ...credentials, expiresIn: 600 });
  const reports = reportsClient(options(server, { [clock]: { now: () => now } }));
  await reports.get("42");
  now += 60_000; // fresh: served from memory
  await reports.get("42");
  assert.equal(server.tokenRequests.length, 1);
  now += 600_000; // expired
  await reports.get("42");
  assert.equal(server.tokenRequests.length, 2);
  await reports.close();
});
