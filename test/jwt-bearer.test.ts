// jwtBearer(): the JWT bearer grant of RFC 7523 §2.1 as the keeper's grant, on the wire: the
// request (grant_type and assertion, the scope as a form parameter unless asked otherwise, no client
// authentication) and the assertion's claims (RFC 7523 §3: iss, sub, aud, exp, and iat, nbf, jti),
// verified with jose. The grant against a real server is in test/interop/ (Authlib); Google's
// flavour in google-service-account.test.ts.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { jwtVerify } from "jose";
import { discover, jwtBearer } from "../mod.ts";
import { memoryStore } from "../src/stores/memory.ts";
import { createTestServer, form, harness } from "./helpers/token-server.ts";

const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const pair = () => crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]) as Promise<CryptoKeyPair>;

const test = suite("JWT bearer grant");

test("each token request is grant_type=jwt-bearer with a fresh assertion: iss = clientId, sub = iss, aud = the token endpoint, exp, iat, nbf, a new jti; scope as a parameter; no client authentication", async () => {
  const keys = await pair();
  const { keeper, server } = harness({ clientSecret: undefined, grant: jwtBearer({ key: keys.privateKey, kid: "k1" }), scope: "api:read api:write" });
  await keeper.getToken();
  await keeper.getToken({ forceRefresh: true });
  const bodies = server.tokenRequests.map(form);
  const claims = [];
  for (const body of bodies) {
    assert.equal([...body.keys()].sort(), ["assertion", "grant_type", "scope"]);
    assert.is(body.get("grant_type"), GRANT);
    assert.is(body.get("scope"), "api:read api:write");
    const { payload, protectedHeader } = await jwtVerify(body.get("assertion")!, keys.publicKey, { issuer: "s6BhdRkqt3", subject: "s6BhdRkqt3", audience: "https://as.test/token", currentDate: new Date(payload0(body.get("assertion")!).iat * 1000) });
    assert.equal(protectedHeader, { alg: "ES256", kid: "k1" });
    assert.equal(Object.keys(payload).sort(), ["aud", "exp", "iat", "iss", "jti", "nbf", "sub"]);
    assert.is(payload.exp! - payload.iat!, 60);
    claims.push(payload);
  }
  assert.ok(server.tokenRequests.every((r) => r.headers.get("authorization") === null), "no client authentication");
  assert.is.not(claims[0]!.jti, claims[1]!.jti);
});

test("subject, audience, scopeIn: \"assertion\" and assertionLifetimeMs shape the assertion", async () => {
  const keys = await pair();
  const { keeper, server } = harness({
    clientSecret: undefined,
    grant: jwtBearer(keys.privateKey, { subject: "user-42", audience: "https://as.test", scopeIn: "assertion", assertionLifetimeMs: 300_000 }),
    scope: ["api:read"],
  });
  await keeper.getToken();
  const body = form(server.tokenRequests[0]!);
  assert.equal([...body.keys()].sort(), ["assertion", "grant_type"], "the scope moved into the assertion");
  const claims = payload0(body.get("assertion")!);
  assert.is(claims.sub, "user-42");
  assert.is(claims.aud, "https://as.test");
  assert.is(claims.scope, "api:read");
  assert.is(claims.exp - claims.iat, 300);
});

test("with a discovered endpoint, aud is the issuer, as for client assertions", async () => {
  const keys = await pair();
  const server = createTestServer({ metadata: {} });
  const { keeper } = harness({ tokenEndpoint: discover("https://as.test"), clientSecret: undefined, grant: jwtBearer(keys.privateKey) }, server);
  await keeper.getToken();
  assert.is(payload0(form(server.tokenRequests[0]!).get("assertion")!).aud, "https://as.test");
});

test("with a store, keepers share a token by issuer, subject and key id", async () => {
  const store = memoryStore();
  const keys = await pair();
  const first = harness({ store, clientSecret: undefined, grant: jwtBearer({ key: keys.privateKey, kid: "k1" }) });
  const token = await first.keeper.getToken();
  const same = harness({ store, clientSecret: undefined, grant: jwtBearer({ key: keys.privateKey, kid: "k1" }) }, first.server);
  assert.is((await same.keeper.getToken()).accessToken, token.accessToken);
  for (const grant of [jwtBearer({ key: keys.privateKey, kid: "k2" }), jwtBearer({ key: keys.privateKey, kid: "k1" }, { subject: "user-42" })]) {
    assert.is.not((await harness({ store, clientSecret: undefined, grant }, first.server).keeper.getToken()).accessToken, token.accessToken);
  }
  assert.is.not((await harness({ store, clientId: "another", clientSecret: undefined, grant: jwtBearer({ key: keys.privateKey, kid: "k1" }) }, first.server).keeper.getToken()).accessToken, token.accessToken);
  assert.is(first.server.tokenRequests.length, 4);
});

test("jwtBearer refuses what is not a signing key, and malformed options", async () => {
  const keys = await pair();
  for (const key of [keys.publicKey, "key", null]) assert.throws(() => jwtBearer(key as CryptoKey), /the key must be a private CryptoKey that can sign/);
  assert.throws(() => jwtBearer({ key: keys.privateKey, kid: "" }), /kid must be a non-empty string/);
  assert.throws(() => jwtBearer(keys.privateKey, { subject: "" }), /subject must be a non-empty string/);
  assert.throws(() => jwtBearer(keys.privateKey, { scopeIn: "header" as "assertion" }), /scopeIn must be "parameter" or "assertion"/);
  for (const assertionLifetimeMs of [0, 500, 1500, Number.NaN]) assert.throws(() => jwtBearer(keys.privateKey, { assertionLifetimeMs }), /assertionLifetimeMs must be a whole number of seconds/);
});

test.run();

/** The claims of a JWT, not verified. */
function payload0(jwt: string): Record<string, number> & Record<string, unknown> & { iat: number; exp: number } {
  return JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
}
