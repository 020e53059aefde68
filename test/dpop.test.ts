import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as jose from "jose";
import { dpop } from "../mod.ts";
import { harness, json, type RecordedRequest } from "./helpers/token-server.ts";

const test = suite("DPoP (RFC 9449)");

async function keyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

async function proofOf(request: RecordedRequest): Promise<{ header: jose.ProtectedHeaderParameters; payload: jose.JWTPayload }> {
  const proof = request.headers.get("dpop");
  assert.ok(proof, "a DPoP proof is sent");
  const header = jose.decodeProtectedHeader(proof!);
  const key = await jose.importJWK(header.jwk!, "ES256");
  const { payload } = await jose.jwtVerify(proof!, key, { typ: "dpop+jwt" });
  return { header, payload };
}

async function ath(token: string): Promise<string> {
  return jose.base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))));
}

test("a DPoP-bound token is sent as Authorization: DPoP with a proof bound to the token, method and URL", async () => {
  const h = harness({ dpop: dpop(await keyPair()) });
  h.server.replies.push(() => json({ access_token: "dpop-token-1", token_type: "DPoP", expires_in: 300 }));
  h.server.resource = (request) => json({ auth: request.headers.get("authorization") });
  const response = await h.keeper.fetch("/api/items?page=2", { method: "POST", body: "x" });
  assert.equal(await response.json(), { auth: "DPoP dpop-token-1" });
  const tokenProof = await proofOf(h.server.tokenRequests[0]!);
  assert.is(tokenProof.payload["htm"], "POST");
  assert.is(tokenProof.payload["htu"], "https://as.test/token");
  const { header, payload } = await proofOf(h.server.resourceRequests[0]!);
  assert.is(payload["htm"], "POST");
  assert.is(payload["htu"], "https://rs.test/api/items", "htu without the query");
  assert.is(payload["ath"], await ath("dpop-token-1"));
  assert.type(payload.jti, "string");
  assert.equal(header.jwk, tokenProof.header.jwk, "the proof key is the one used at the token endpoint");
  assert.is((await h.keeper.getToken()).tokenType, "DPoP");
});

test("a Bearer answer to a DPoP token request is used as Bearer, never as DPoP <bearer-token>", async () => {
  const h = harness({ dpop: dpop(await keyPair()) });
  h.server.resource = (request) => json({ auth: request.headers.get("authorization"), dpop: request.headers.get("dpop") });
  const response = await h.keeper.fetch("/api/x");
  assert.equal(await response.json(), { auth: `Bearer ${h.server.issued[0]}`, dpop: null });
});

test("use_dpop_nonce at the token endpoint: exactly one retry carrying the nonce and a new jti", async () => {
  const h = harness({ dpop: dpop(await keyPair()) });
  h.server.replies.push(() => json({ error: "use_dpop_nonce" }, 400, { "dpop-nonce": "n1" }));
  h.server.replies.push(() => json({ access_token: "dpop-token-2", token_type: "DPoP", expires_in: 300 }));
  await h.keeper.getToken();
  assert.is(h.server.tokenRequests.length, 2);
  const first = await proofOf(h.server.tokenRequests[0]!);
  const second = await proofOf(h.server.tokenRequests[1]!);
  assert.is(second.payload["nonce"], "n1");
  assert.is.not(second.payload.jti, first.payload.jti);
});

test("a token endpoint that keeps demanding new nonces gets one retry, then an error", async () => {
  const h = harness({ dpop: dpop(await keyPair()), retry: false });
  for (let i = 0; i < 5; i++) h.server.replies.push(() => json({ error: "use_dpop_nonce" }, 400, { "dpop-nonce": `n${i}` }));
  const error = (await h.keeper.getToken().then(() => undefined, (e: unknown) => e)) as { code: string; error: string };
  assert.is(error.code, "OAUTH_ERROR");
  assert.is(error.error, "use_dpop_nonce");
  assert.is(h.server.tokenRequests.length, 2);
});

test("use_dpop_nonce at the resource server: one retry with the nonce", async () => {
  const h = harness({ dpop: dpop(await keyPair()) });
  h.server.replies.push(() => json({ access_token: "dpop-token-3", token_type: "DPoP", expires_in: 300 }));
  let calls = 0;
  h.server.resource = (request) => {
    calls++;
    if (calls === 1) return new Response(null, { status: 401, headers: { "www-authenticate": 'DPoP error="use_dpop_nonce"', "dpop-nonce": "rs-n1" } });
    return json({ body: request.body });
  };
  const response = await h.keeper.fetch("/api/x", { method: "PUT", body: "payload" });
  assert.equal(await response.json(), { body: "payload" });
  assert.is((await proofOf(h.server.resourceRequests[1]!)).payload["nonce"], "rs-n1");
  assert.is(h.server.tokenRequests.length, 1);
});

test.run();
