import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as jose from "jose";
import * as oauth from "oauth4webapi";
import { clientSecretBasic, clientSecretJwt, clientSecretPost, customClientAuth, privateKeyJwt } from "../mod.ts";
import { form, harness, SECRET } from "./helpers/token-server.ts";

const test = suite("token request encoding");

/** RFC 6749 §2.3.1 decoding, done by hand: base64 → UTF-8 → split at first ":" → form-decode. */
function decodeBasic(header: string | null): [string, string] {
  const match = /^\s*basic\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header ?? "");
  assert.ok(match, `not a Basic credential: ${header}`);
  const bytes = Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0));
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const colon = text.indexOf(":");
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  return [decode(text.slice(0, colon)), decode(text.slice(colon + 1))];
}

test("clientSecret alone sends client_secret_post: form body, grant_type, no Authorization header", async () => {
  const { keeper, server } = harness();
  await keeper.getToken();
  const [request] = server.tokenRequests;
  assert.is(request!.method, "POST");
  assert.is(request!.headers.get("content-type")!.split(";")[0], "application/x-www-form-urlencoded");
  assert.is(request!.headers.get("accept"), "application/json");
  assert.is(request!.headers.get("authorization"), null);
  const body = form(request!);
  assert.equal(body.getAll("grant_type"), ["client_credentials"]);
  assert.equal(body.getAll("client_id"), ["s6BhdRkqt3"]);
  assert.equal(body.getAll("client_secret"), [SECRET]);
  assert.not.ok(body.has("scope"), "no scope= when no scope is configured");
});

test("client_secret_post form-encodes special characters so they decode exactly", async () => {
  const { keeper, server } = harness({ clientId: "urn:acme:svc+1 %x", clientSecret: undefined, clientAuth: clientSecretPost("p@ss:w+rd%25 /=&é€") });
  await keeper.getToken();
  const body = form(server.tokenRequests[0]!);
  assert.is(body.get("client_id"), "urn:acme:svc+1 %x");
  assert.is(body.get("client_secret"), "p@ss:w+rd%25 /=&é€");
});

test("clientSecretBasic sends the RFC 6749 §2.3.1 credential for the RFC's example client", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: clientSecretBasic("7Fjfp0ZBr1KtDRbnfVdmIw") });
  await keeper.getToken();
  const [request] = server.tokenRequests;
  assert.is(request!.headers.get("authorization"), "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
  const body = form(request!);
  assert.not.ok(body.has("client_secret"), "never Basic and client_secret together");
});

test("clientSecretBasic form-encodes id and secret before base64, so ':', '+', '%', space and non-ASCII survive", async () => {
  const { keeper, server } = harness({ clientId: "urn:acme:svc+1 %x", clientSecret: undefined, clientAuth: clientSecretBasic("p@ss:w+rd%25 /=&é€") });
  await keeper.getToken();
  assert.equal(decodeBasic(server.tokenRequests[0]!.headers.get("authorization")), ["urn:acme:svc+1 %x", "p@ss:w+rd%25 /=&é€"]);
});

test("a scope list is sent as one space-separated scope parameter", async () => {
  const { keeper, server } = harness({ scope: ["b", "a", "c:x"] });
  const token = await keeper.getToken();
  assert.equal(form(server.tokenRequests[0]!).getAll("scope"), ["b a c:x"]);
  assert.is(token.scope, "b a c:x", "the requested scope is assumed when the response has none");
});

test("resource indicators are sent as separate resource parameters (RFC 8707)", async () => {
  const { keeper, server } = harness({ resource: ["https://rs1.test/", "https://rs2.test/api"] });
  await keeper.getToken();
  assert.equal(form(server.tokenRequests[0]!).getAll("resource"), ["https://rs1.test/", "https://rs2.test/api"]);
});

test("extra token parameters are sent once, beside the grant", async () => {
  const { keeper, server } = harness({ tokenParameters: { audience: "https://api.test" } });
  await keeper.getToken();
  const body = form(server.tokenRequests[0]!);
  assert.equal(body.getAll("audience"), ["https://api.test"]);
  assert.equal(body.getAll("grant_type"), ["client_credentials"]);
});

test("the token endpoint's query string is kept as given and nothing secret goes into the URL", async () => {
  const { keeper, server } = harness({ tokenEndpoint: "https://as.test/token?tenant=a%2Fb&x=1", scope: "read" });
  await keeper.getToken();
  const url = new URL(server.tokenRequests[0]!.url);
  assert.is(url.search, "?tenant=a%2Fb&x=1");
});

test("privateKeyJwt sends one fresh signed assertion per request with iss = sub = client_id", async () => {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { keeper, server, clock } = harness({ clientSecret: undefined, clientAuth: privateKeyJwt({ key: privateKey, kid: "k1" }, { audience: "https://as.test" }) });
  await keeper.getToken();
  clock.advance(400_000);
  await keeper.getToken();
  const jtis = new Set<string>();
  for (const request of server.tokenRequests) {
    const body = form(request);
    assert.is(body.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assert.is(body.getAll("client_assertion").length, 1);
    assert.not.ok(body.has("client_secret"));
    const { payload, protectedHeader } = await jose.jwtVerify(body.get("client_assertion")!, publicKey, { audience: "https://as.test" });
    assert.is(protectedHeader.alg, "ES256");
    assert.is(payload.iss, "s6BhdRkqt3");
    assert.is(payload.sub, "s6BhdRkqt3");
    assert.type(payload.jti, "string");
    jtis.add(payload.jti!);
  }
  assert.is(jtis.size, 2, "every assertion has a fresh jti");
});

test("clientSecretJwt signs an HS256 assertion with the secret", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: clientSecretJwt(SECRET) });
  await keeper.getToken();
  const assertion = form(server.tokenRequests[0]!).get("client_assertion")!;
  const { payload } = await jose.jwtVerify(assertion, new TextEncoder().encode(SECRET), { audience: "https://as.test/token" });
  assert.is(payload.sub, "s6BhdRkqt3");
});

test("any oauth4webapi ClientAuth can be used through customClientAuth", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: customClientAuth("client_secret_basic", oauth.ClientSecretBasic("7Fjfp0ZBr1KtDRbnfVdmIw")) });
  await keeper.getToken();
  assert.is(server.tokenRequests[0]!.headers.get("authorization"), "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
});

test.run();
