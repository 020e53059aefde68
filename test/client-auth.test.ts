// src/client-auth.ts: the client authentications with options or methods the conformance suite
// does not drive. client_secret_post, client_secret_basic and private_key_jwt on the wire are
// graded by AUTH-01, AUTH-02, AUTH-04, AUTH-05, AUTH-07, AUTH-08 and AUTH-10.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as jose from "jose";
import { clientSecretJwt, privateKeyJwt } from "../mod.ts";
import { form, harness, SECRET } from "./helpers/token-server.ts";

const test = suite("client authentication");

test("privateKeyJwt's audience option sets the assertion's aud", async () => {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: privateKeyJwt({ key: privateKey, kid: "k1" }, { audience: "https://as.test" }) });
  await keeper.getToken();
  const { payload, protectedHeader } = await jose.jwtVerify(form(server.tokenRequests[0]!).get("client_assertion")!, publicKey, { audience: "https://as.test" });
  assert.is(protectedHeader.alg, "ES256");
  assert.is(protectedHeader.kid, "k1");
  assert.is(payload.aud, "https://as.test");
});

test("clientSecretJwt signs an HS256 assertion with the secret, for the token endpoint by default", async () => {
  const { keeper, server } = harness({ clientSecret: undefined, clientAuth: clientSecretJwt(SECRET) });
  await keeper.getToken();
  const body = form(server.tokenRequests[0]!);
  assert.is(body.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  assert.not.ok(body.has("client_secret"), "the secret itself is never sent");
  const { payload, protectedHeader } = await jose.jwtVerify(body.get("client_assertion")!, new TextEncoder().encode(SECRET), { audience: "https://as.test/token" });
  assert.is(protectedHeader.alg, "HS256");
  assert.is(payload.iss, "s6BhdRkqt3");
  assert.is(payload.sub, "s6BhdRkqt3");
});

test.run();
