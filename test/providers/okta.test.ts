// Okta (test/providers/okta.ts reproduces its documented contract): the options
// docs/providers.md gives work against it, and what Okta refuses comes back as an OAuth error,
// sent once.
import { decodeProtectedHeader } from "jose";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, createTokenKeeper, discover, isTokenEndpointError, privateKeyJwt, type TokenKeeperOptions } from "../../mod.ts";
import type { FakeServer } from "../../conformance/fake/server.ts";
import { createOktaFake } from "./okta.ts";

const test = suite("provider: Okta");
const TOKEN_ENDPOINT = "https://your-org.okta.com/oauth2/default/v1/token";

const rsa = () => crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);

function keeper(fake: FakeServer, options: Partial<TokenKeeperOptions>) {
  return createTokenKeeper({ tokenEndpoint: TOKEN_ENDPOINT, clientId: "0oa1example", baseUrl: "https://api.example.com", fetch: fake.fetch, retry: { baseDelayMs: 0, maxDelayMs: 0 }, ...options } as TokenKeeperOptions);
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isTokenEndpointError(error)) throw new Error(`expected a TokenEndpointError, got ${String(error)}`);
  return error;
}

test("privateKeyJwt with the key's kid and a scope gets a token the API accepts", async () => {
  const { privateKey, publicKey } = await rsa();
  const fake = createOktaFake({ client: { id: "0oa1example", publicKey, kid: "key-2026" } });
  const api = keeper(fake, { clientAuth: privateKeyJwt({ key: privateKey, kid: "key-2026" }), scope: "reports.read" });
  const res = await api.fetch("/v2/reports");
  assert.is(res.status, 200);
  assert.equal(await res.json(), { ok: true, path: "/v2/reports", scope: "reports.read", audience: null });
  const [request] = fake.tokenRequests();
  assert.is(decodeProtectedHeader(request!.form.get("client_assertion")!).kid, "key-2026");
  assert.is(request!.form.get("client_secret"), undefined);
  assert.equal(request!.problems, []);
});

test("a request without scope is refused with invalid_scope, and not sent again", async () => {
  const fake = createOktaFake({ client: { id: "0oa1example", secret: "okta-secret" } });
  const error = await refusal(keeper(fake, { clientAuth: clientSecretBasic("okta-secret") }).getToken());
  assert.is(error.error, "invalid_scope");
  assert.is(error.status, 400);
  assert.match(error.error_description ?? "", /'scope' must be provided/);
  assert.is(fake.tokenRequests().length, 1);
});

test("with a default scope on the authorization server, a request without scope gets it", async () => {
  const fake = createOktaFake({ client: { id: "0oa1example", secret: "okta-secret" }, defaultScopes: ["reports.read"] });
  const token = await keeper(fake, { clientAuth: clientSecretBasic("okta-secret") }).getToken();
  assert.is(token.scope, "reports.read");
});

test("an assertion without the kid of the registered key is refused with invalid_client", async () => {
  const { privateKey, publicKey } = await rsa();
  const fake = createOktaFake({ client: { id: "0oa1example", publicKey, kid: "key-2026" } });
  const error = await refusal(keeper(fake, { clientAuth: privateKeyJwt(privateKey), scope: "reports.read" }).getToken());
  assert.is(error.error, "invalid_client");
  assert.is(fake.tokenRequests().length, 1);
});

test("an assertion whose aud is not the token endpoint is refused", async () => {
  const { privateKey, publicKey } = await rsa();
  const fake = createOktaFake({ client: { id: "0oa1example", publicKey, kid: "key-2026" } });
  const clientAuth = privateKeyJwt({ key: privateKey, kid: "key-2026" }, { audience: "https://your-org.okta.com/oauth2/default" });
  const error = await refusal(keeper(fake, { clientAuth, scope: "reports.read" }).getToken());
  assert.is(error.error, "invalid_client");
});

test("a client secret goes as client_secret_basic, Okta's default; clientSecret alone (post) is refused", async () => {
  const fake = createOktaFake({ client: { id: "0oa1example", secret: "okta-secret" } });
  const token = await keeper(fake, { clientAuth: clientSecretBasic("okta-secret"), scope: "reports.read" }).getToken();
  assert.is(token.scope, "reports.read");
  assert.match(fake.tokenRequests()[0]!.header("authorization") ?? "", /^Basic /);
  const error = await refusal(keeper(fake, { clientSecret: "okta-secret", scope: "reports.read" }).getToken());
  assert.is(error.error, "invalid_client");
});

test("a scope the authorization server does not define is invalid_scope", async () => {
  const fake = createOktaFake({ client: { id: "0oa1example", secret: "okta-secret" } });
  const error = await refusal(keeper(fake, { clientAuth: clientSecretBasic("okta-secret"), scope: "admin" }).getToken());
  assert.is(error.error, "invalid_scope");
});

test("discover() finds a custom authorization server's token endpoint through its OpenID Connect metadata", async () => {
  const fake = createOktaFake({ client: { id: "0oa1example", secret: "okta-secret" } });
  await keeper(fake, { tokenEndpoint: discover("https://your-org.okta.com/oauth2/default"), clientAuth: clientSecretBasic("okta-secret"), scope: "reports.read" }).getToken();
  assert.equal(fake.requests.filter((r) => r.kind === "metadata").map((r) => r.path), ["/oauth2/default/.well-known/openid-configuration"]);
  assert.is(fake.tokenRequests()[0]!.url, TOKEN_ENDPOINT);
});

test("with discover(), privateKeyJwt's aud is the issuer, which Okta refuses: the token endpoint as audience gets through", async () => {
  const { privateKey, publicKey } = await rsa();
  const fake = createOktaFake({ client: { id: "0oa1example", publicKey, kid: "key-2026" } });
  const tokenEndpoint = discover("https://your-org.okta.com/oauth2/default");
  const refused = await refusal(keeper(fake, { tokenEndpoint, clientAuth: privateKeyJwt({ key: privateKey, kid: "key-2026" }), scope: "reports.read" }).getToken());
  assert.is(refused.error, "invalid_client");
  const clientAuth = privateKeyJwt({ key: privateKey, kid: "key-2026" }, { audience: TOKEN_ENDPOINT });
  const token = await keeper(fake, { tokenEndpoint, clientAuth, scope: "reports.read" }).getToken();
  assert.is(token.scope, "reports.read");
});

test("the org authorization server's token endpoint is /oauth2/v1/token, for Okta's own API scopes", async () => {
  const { privateKey, publicKey } = await rsa();
  const fake = createOktaFake({ authorizationServer: "org", client: { id: "0oa1example", publicKey, kid: "key-2026" }, scopes: ["okta.users.read"] });
  const token = await keeper(fake, { tokenEndpoint: "https://your-org.okta.com/oauth2/v1/token", clientAuth: privateKeyJwt({ key: privateKey, kid: "key-2026" }), scope: "okta.users.read" }).getToken();
  assert.is(token.scope, "okta.users.read");
  assert.is(fake.tokenRequests()[0]!.path, "/oauth2/v1/token");
});

test.run();
