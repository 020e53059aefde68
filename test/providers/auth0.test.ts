// Auth0 (test/providers/auth0.ts reproduces its documented contract): `audience` through
// tokenParameters, the secret as client_secret_post, and what Auth0 refuses, sent once.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, createTokenKeeper, isTokenEndpointError, type TokenKeeperOptions } from "../../mod.ts";
import type { FakeServer } from "../../conformance/fake/server.ts";
import { createAuth0Fake } from "./auth0.ts";

const test = suite("provider: Auth0");
const client = { id: "auth0-m2m-client", secret: "auth0-secret" };

/** Options that may unset a default (`clientSecret: undefined` for another client authentication). */
type Overrides = { [K in keyof TokenKeeperOptions]?: TokenKeeperOptions[K] | undefined };

function keeper(fake: FakeServer, options: Overrides) {
  return createTokenKeeper({
    tokenEndpoint: "https://your-tenant.auth0.com/oauth/token",
    clientId: client.id,
    clientSecret: client.secret,
    baseUrl: "https://api.example.com",
    fetch: fake.fetch,
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    ...options,
  } as TokenKeeperOptions);
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isTokenEndpointError(error)) throw new Error(`expected a TokenEndpointError, got ${String(error)}`);
  return error;
}

test("audience as a token parameter and the secret in the form get a token for that API", async () => {
  const fake = createAuth0Fake({ client });
  const api = keeper(fake, { tokenParameters: { audience: "https://api.example.com" } });
  const res = await api.fetch("/v2/orders");
  assert.is(res.status, 200);
  assert.equal(await res.json(), { ok: true, path: "/v2/orders", scope: "read:reports", audience: "https://api.example.com" });
  const request = fake.tokenRequests()[0]!;
  assert.is(request.mediaType, "application/x-www-form-urlencoded");
  assert.is(request.form.get("audience"), "https://api.example.com");
  assert.is(request.form.get("client_secret"), client.secret);
  assert.is(request.header("authorization"), null);
  assert.is((await api.getToken()).scope, "read:reports"); // the client grant's permissions, from the cache
  assert.is(fake.tokenRequests().length, 1);
});

test("without an audience (and no tenant default) the answer is 403 access_denied, sent once", async () => {
  const fake = createAuth0Fake({ client });
  const error = await refusal(keeper(fake, {}).getToken());
  assert.is(error.status, 403);
  assert.is(error.error, "access_denied");
  assert.match(error.error_description ?? "", /No audience parameter was provided/);
  assert.is(fake.tokenRequests().length, 1);
});

test("the tenant's Default Audience applies when the request names none", async () => {
  const fake = createAuth0Fake({ client, defaultAudience: "https://api.example.com" });
  const res = await keeper(fake, {}).fetch("/v2/orders");
  assert.is(res.status, 200);
});

test("an audience that is no API of the tenant is refused", async () => {
  const fake = createAuth0Fake({ client });
  const error = await refusal(keeper(fake, { tokenParameters: { audience: "https://api.example.org" } }).getToken());
  assert.is(error.error, "access_denied");
  assert.match(error.error_description ?? "", /Service not enabled within domain/);
});

test("a secret sent as Basic to an app set to Post is 401 access_denied, not retried", async () => {
  const fake = createAuth0Fake({ client });
  const error = await refusal(keeper(fake, { clientSecret: undefined, clientAuth: clientSecretBasic(client.secret), tokenParameters: { audience: "https://api.example.com" } }).getToken());
  assert.is(error.status, 401);
  assert.equal([error.error, error.error_description], ["access_denied", "Unauthorized"]);
  assert.is(fake.tokenRequests().length, 1);
});

test("the fake takes a JSON body as Auth0 does (tokenkeeper sends a form)", async () => {
  const fake = createAuth0Fake({ client });
  const res = await fake.fetch("https://your-tenant.auth0.com/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: client.id, client_secret: client.secret, audience: "https://api.example.com" }),
  });
  assert.is(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal([body.token_type, body.expires_in, body.scope], ["Bearer", 86400, "read:reports"]);
});

test.run();
