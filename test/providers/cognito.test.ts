// Amazon Cognito (test/providers/cognito.ts reproduces its documented contract): the secret as
// client_secret_basic, custom scopes as resource-server/scope, and its 400 invalid_client.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, createTokenKeeper, discover, isTokenEndpointError, type TokenKeeperOptions } from "../../mod.ts";
import type { FakeServer } from "../../conformance/fake/server.ts";
import { createCognitoFake } from "./cognito.ts";

const test = suite("provider: Amazon Cognito");
const client = { id: "1example23456789", secret: "cognito-secret" };
const TOKEN_ENDPOINT = "https://your-domain.auth.us-east-1.amazoncognito.com/oauth2/token";

function keeper(fake: FakeServer, options: Partial<TokenKeeperOptions>) {
  return createTokenKeeper({
    tokenEndpoint: TOKEN_ENDPOINT,
    clientId: client.id,
    clientAuth: clientSecretBasic(client.secret),
    baseUrl: "https://api.example.com",
    fetch: fake.fetch,
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    ...options,
  } as TokenKeeperOptions);
}

test("clientSecretBasic and a resource-server/scope get a token the API accepts", async () => {
  const fake = createCognitoFake({ client, scopes: ["reports/read", "reports/write"] });
  const api = keeper(fake, { scope: "reports/read" });
  const res = await api.fetch("/v2/reports");
  assert.is(res.status, 200);
  assert.equal(await res.json(), { ok: true, path: "/v2/reports", scope: "reports/read", audience: null });
  const request = fake.tokenRequests()[0]!;
  assert.ok(request.basic?.ok && request.basic.clientId === client.id);
  assert.is(request.form.get("client_secret"), undefined);
  // Cognito's response has no scope member: the scope is the requested one (RFC 6749 §5.1).
  assert.is((await api.getToken()).scope, "reports/read");
});

test("without a scope, Cognito grants every custom scope of the app client", async () => {
  const fake = createCognitoFake({ client, scopes: ["reports/read", "reports/write"] });
  const res = await keeper(fake, {}).fetch("/v2/reports");
  assert.is(res.status, 200);
  assert.is(((await res.json()) as { scope: string }).scope, "reports/read reports/write");
});

test("a scope the app client is not allowed is 400 invalid_scope, sent once", async () => {
  const fake = createCognitoFake({ client });
  const error = await keeper(fake, { scope: "reports/delete" }).getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenEndpointError(error));
  assert.equal([error.status, error.error], [400, "invalid_scope"]);
  assert.is(fake.tokenRequests().length, 1);
});

test("a wrong secret is 400 invalid_client (Cognito does not send 401), an OAuth error sent once", async () => {
  const fake = createCognitoFake({ client });
  const error = await keeper(fake, { clientAuth: clientSecretBasic("wrong") }).getToken().then(() => undefined, (e: unknown) => e);
  assert.ok(isTokenEndpointError(error));
  assert.equal([error.code, error.status, error.error, error.error_description], ["OAUTH_ERROR", 400, "invalid_client", undefined]);
  assert.is(fake.tokenRequests().length, 1);
});

test("discover() on the user pool's issuer finds the token endpoint on the domain's host", async () => {
  const fake = createCognitoFake({ client });
  const api = keeper(fake, { tokenEndpoint: discover("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example") });
  await api.getToken();
  assert.is(fake.tokenRequests()[0]!.url, TOKEN_ENDPOINT);
});

test.run();
