// Keycloak (test/providers/keycloak.ts reproduces its documented contract): discover() finds the
// token endpoint of an issuer with a path, where every release serves its metadata; the secret
// goes as Basic or in the form; a wrong secret is unauthorized_client, sent once.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, createTokenKeeper, discover, isTokenEndpointError, type TokenKeeperOptions } from "../../mod.ts";
import type { FakeServer } from "../../conformance/fake/server.ts";
import { createKeycloakFake } from "./keycloak.ts";

const test = suite("provider: Keycloak");
const client = { id: "reports-service", secret: "keycloak-secret" };

/** Options that may unset a default (`clientSecret: undefined` for another client authentication). */
type Overrides = { [K in keyof TokenKeeperOptions]?: TokenKeeperOptions[K] | undefined };

function keeper(fake: FakeServer, options: Overrides) {
  return createTokenKeeper({
    tokenEndpoint: discover("https://keycloak.example.com/realms/demo"),
    clientId: client.id,
    clientSecret: client.secret,
    baseUrl: "https://api.example.com",
    fetch: fake.fetch,
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    ...options,
  } as TokenKeeperOptions);
}

/** The paths of the metadata requests, and whether each was answered. */
const metadataPaths = (fake: FakeServer) => fake.requests.filter((r) => r.method === "GET" && r.path.includes("/.well-known/")).map((r) => r.path);

test("discover() finds a current Keycloak's RFC 8414 metadata, inserted before the realm's path", async () => {
  const fake = createKeycloakFake({ client });
  const res = await keeper(fake, {}).fetch("/v2/reports");
  assert.is(res.status, 200);
  assert.equal(metadataPaths(fake), ["/.well-known/oauth-authorization-server/realms/demo"]);
  assert.is(fake.tokenRequests()[0]!.path, "/realms/demo/protocol/openid-connect/token");
});

test("discover() falls back to OpenID Connect discovery, appended to the realm's path, where the root serves no RFC 8414 metadata", async () => {
  const fake = createKeycloakFake({ client, rfc8414: false });
  const res = await keeper(fake, {}).fetch("/v2/reports");
  assert.is(res.status, 200);
  assert.equal(metadataPaths(fake), ["/.well-known/oauth-authorization-server/realms/demo", "/realms/demo/.well-known/openid-configuration"]);
  assert.is(fake.tokenRequests().length, 1);
});

test("an issuer under /auth (Keycloak 16 and earlier) is discovered with its whole path", async () => {
  const fake = createKeycloakFake({ client, relativePath: "/auth", rfc8414: false });
  const api = keeper(fake, { tokenEndpoint: discover("https://keycloak.example.com/auth/realms/demo") });
  await api.getToken();
  assert.equal(metadataPaths(fake), ["/.well-known/oauth-authorization-server/auth/realms/demo", "/auth/realms/demo/.well-known/openid-configuration"]);
  assert.is(fake.tokenRequests()[0]!.path, "/auth/realms/demo/protocol/openid-connect/token");
});

test("the fake is not lenient: the appended RFC 8414 path answers, a made-up one does not", async () => {
  const fake = createKeycloakFake({ client, rfc8414: false });
  assert.is((await fake.fetch("https://keycloak.example.com/realms/demo/.well-known/oauth-authorization-server")).status, 200);
  assert.is((await fake.fetch("https://keycloak.example.com/.well-known/openid-configuration/realms/demo")).status, 404);
});

test("Keycloak's token response (refresh_expires_in, not-before-policy, a 300 s lifetime) is read as it is", async () => {
  const fake = createKeycloakFake({ client });
  const before = Date.now();
  const token = await keeper(fake, { clientAuth: clientSecretBasic(client.secret), clientSecret: undefined, scope: "reports:read" }).getToken();
  assert.is(token.scope, "reports:read profile email");
  assert.ok(token.expiresAt >= before + 299_000 && token.expiresAt <= Date.now() + 300_000, `expiresAt ${token.expiresAt}`);
  assert.match(fake.tokenRequests()[0]!.header("authorization") ?? "", /^Basic /);
});

test("a wrong secret is 401 unauthorized_client, sent once", async () => {
  const fake = createKeycloakFake({ client });
  const error = await keeper(fake, { clientSecret: "wrong" }).getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenEndpointError(error));
  assert.equal([error.status, error.error, error.error_description], [401, "unauthorized_client", "Invalid client or Invalid client credentials"]);
  assert.is(fake.tokenRequests().length, 1);
});

test("a scope that is no client scope of the client is invalid_scope", async () => {
  const fake = createKeycloakFake({ client });
  const error = await keeper(fake, { scope: "admin" }).getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenEndpointError(error));
  assert.is(error.error, "invalid_scope");
});

test.run();
