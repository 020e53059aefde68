// dpop(): what DPoP adds to keeper.fetch() beyond the wire rules. The DPoP scheme and
// proof (typ, jwk, jti, htm, htu, ath, the token endpoint's key) and the resource server's nonce
// retry are graded by RS-06; the scheme following token_type by RS-07; use_dpop_nonce at the
// token endpoint by ERR-08.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as jose from "jose";
import { dpop } from "../mod.ts";
import { harness, json } from "./helpers/token-server.ts";

const test = suite("DPoP (RFC 9449)");

test("the resource server's nonce retry replays the request body and needs no new token", async () => {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]) as CryptoKeyPair;
  const h = harness({ dpop: dpop(keys) });
  h.server.replies.push(() => json({ access_token: "dpop-token-3", token_type: "DPoP", expires_in: 300 }));
  let calls = 0;
  h.server.resource = (request) => {
    calls++;
    if (calls === 1) return new Response(null, { status: 401, headers: { "www-authenticate": 'DPoP error="use_dpop_nonce"', "dpop-nonce": "rs-n1" } });
    return json({ body: request.body });
  };
  const response = await h.keeper.fetch("/api/x", { method: "PUT", body: "payload" });
  assert.equal(await response.json(), { body: "payload" });
  assert.equal(h.server.resourceRequests.map((r) => [r.method, r.body]), [["PUT", "payload"], ["PUT", "payload"]]);
  assert.is(jose.decodeJwt(h.server.resourceRequests[1]!.headers.get("dpop")!)["nonce"], "rs-n1");
  assert.is(h.server.tokenRequests.length, 1);
});

test.run();
