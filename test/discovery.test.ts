import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clock, discover, isTokenKeeperError, type TokenKeeperError } from "../mod.ts";
import { cardlytics } from "../src/presets/cardlytics.ts";
import { Hono } from "hono";
import { createTestServer, harness, json } from "./helpers/token-server.ts";

const test = suite("issuer discovery and the Cardlytics preset");

function withMetadata(metadata: (origin: string) => unknown, path = "/.well-known/oauth-authorization-server") {
  const server = createTestServer();
  let discoveries = 0;
  server.app.get(path, (c) => (discoveries++, json(metadata(new URL(c.req.url).origin))));
  return { server, count: () => discoveries };
}

async function failure(promise: Promise<unknown>): Promise<TokenKeeperError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenKeeperError(error), String(error));
  return error;
}

test("an issuer is discovered through RFC 8414 metadata, once", async () => {
  const { server, count } = withMetadata((origin) => ({ issuer: origin, token_endpoint: `${origin}/token` }));
  const { keeper, clock: time } = harness({ tokenEndpoint: discover("https://as.test") }, server);
  await keeper.getToken();
  time.advance(400_000);
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 2);
  assert.is(count(), 1);
});

test("OpenID Connect discovery is the fallback when RFC 8414 metadata is absent", async () => {
  const { server } = withMetadata((origin) => ({ issuer: origin, token_endpoint: `${origin}/token` }), "/.well-known/openid-configuration");
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test") }, server);
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 1);
});

test("metadata whose issuer differs from the configured one is rejected before any credential is sent", async () => {
  const { server } = withMetadata(() => ({ issuer: "https://evil.test", token_endpoint: "https://as.test/token" }));
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test") }, server);
  assert.is((await failure(keeper.getToken())).code, "DISCOVERY_FAILED");
  assert.is(server.tokenRequests.length, 0);
});

test("metadata with an http token endpoint is rejected before any credential is sent", async () => {
  const { server } = withMetadata((origin) => ({ issuer: origin, token_endpoint: "http://as.test/token" }));
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test") }, server);
  const error = await failure(keeper.getToken());
  assert.is(error.code, "DISCOVERY_FAILED");
  assert.match(error.message, /not https/);
  assert.is(server.tokenRequests.length, 0);
});

test("the Cardlytics preset posts client_secret_post to its token path and sends the token to its API only", async () => {
  const app = new Hono();
  let tokenUrl = "";
  app.post("/api/v1/idp/oauth2/token", async (c) => {
    tokenUrl = c.req.url;
    const body = new URLSearchParams(await c.req.text());
    return json({ access_token: `tok-${body.get("client_id")}-${body.get("client_secret") === "s" ? "ok" : "bad"}`, token_type: "Bearer", expires_in: 3600 });
  });
  app.get("/v2/*", (c) => json({ auth: c.req.header("authorization") }));
  const api = cardlytics({ clientId: "id", clientSecret: "s", fetch: async (input, init) => app.fetch(new Request(input, init)), [clock]: { now: () => 0 } });
  const response = await api.fetch("/v2/some/resource");
  assert.is(tokenUrl, "https://api.cardlytics.com/api/v1/idp/oauth2/token");
  assert.equal(await response.json(), { auth: "Bearer tok-id-ok" });
  assert.is((await failure(api.fetch("https://other.test/v2/x"))).code, "ORIGIN_NOT_ALLOWED");
});

test.run();
