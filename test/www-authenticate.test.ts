import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseChallenges } from "../src/lib/rejections.ts";

const test = suite("WWW-Authenticate parsing");

test("parses a Bearer challenge with quoted and token parameters", () => {
  assert.equal(parseChallenges('Bearer realm="x", error="invalid_token", error_description="The token \\"expired\\""'), [
    { scheme: "bearer", parameters: Object.assign(Object.create(null), { realm: "x", error: "invalid_token", error_description: 'The token "expired"' }) },
  ]);
});

test("parses several challenges and lowercases schemes and parameter names", () => {
  const challenges = parseChallenges('Basic realm="as", DPoP algs="ES256", error=use_dpop_nonce, Bearer ERROR="insufficient_scope", scope="admin"');
  assert.equal(challenges.map((c) => c.scheme), ["basic", "dpop", "bearer"]);
  assert.is(challenges[1]!.parameters["error"], "use_dpop_nonce");
  assert.is(challenges[2]!.parameters["error"], "insufficient_scope");
  assert.is(challenges[2]!.parameters["scope"], "admin");
});

test("a token68 challenge and a bare scheme parse without parameters", () => {
  assert.equal(parseChallenges("Negotiate abc123==, Bearer").map((c) => c.scheme), ["negotiate", "bearer"]);
});

test("malformed headers never throw", () => {
  for (const header of ['Bearer error="unterminated', "=,=,=", "", ",,,", 'Bearer a="\\', "Bearer " + "a=b,".repeat(5000)]) {
    assert.ok(Array.isArray(parseChallenges(header)));
  }
  assert.equal(parseChallenges(null), []);
});

test("a parameter named like a prototype key does not pollute", () => {
  const [challenge] = parseChallenges('Bearer __proto__="x", constructor="y"');
  assert.is(({} as Record<string, unknown>)["x"], undefined);
  assert.is(challenge!.parameters["constructor"], "y");
});

test.run();
