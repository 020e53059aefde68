import type { Scenario } from "../scenario.ts";
import { decodeJwt } from "jose";
import { RFC7523_CLAIMS } from "./_basis.ts";
import { jwtClient } from "./_helpers.ts";

// RFC 7523 §3 lets aud be anything that identifies the server (issuer or token endpoint URL) and
// puts no bound on exp. aud = the issuer as one string and a 5-minute lifetime are the practice of
// the JWT client authentication update (draft-ietf-oauth-rfc7523bis) and FAPI 2.0: SHOULD.
export default {
  id: "AUTH-07",
  title: "private_key_jwt assertion claims: iss = sub = client_id, aud, exp, signature (RFC 7523); aud = issuer, 5 minutes, jti (practice)",
  severity: "MUST",
  severityLabel: "MUST/SHOULD",
  source: "RFC 7521 §4.2; RFC 7523 §3; draft-ietf-oauth-rfc7523bis; FAPI 2.0 Security Profile §5.3.2.1; OIDC Core §9",
  basis: [
    RFC7523_CLAIMS,
    {
      tier: "SHOULD",
      source: "draft-ietf-oauth-rfc7523bis; FAPI 2.0; OIDC Core §9 (not RFCs: graded SHOULD)",
      text: "paraphrased, no RFC text yet: the audience is the authorization server's issuer identifier as a single string (the update's answer to the 2024 audience-injection findings); the assertion lives at most a few minutes; OIDC Core §9 makes jti REQUIRED",
    },
  ],
  requires: { subject: ["private_key_jwt", "discovery"] },
  async run(ctx) {
    const { auth, client } = await jwtClient(ctx);
    const server = ctx.server({ client });
    const env = ctx.env(server, { issuer: server.issuer, auth });
    delete env.tokenEndpoint;
    const instance = await ctx.create(env);
    const got = await ctx.attempt(() => instance.getToken());
    const r = server.tokenRequests()[0];
    if (!r) return void ctx.check(false, `a token request was sent${got.ok ? "" : ` (${got.info.kind}: ${got.info.message})`}`);
    ctx.check(r.form.all("client_assertion_type").join() === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion_type is the jwt-bearer URN");
    ctx.check(r.form.all("client_assertion").length === 1, `client_assertion count ${r.form.all("client_assertion").length}`);
    ctx.check(r.problems.length === 0, `RFC 7523 §3 claims: ${r.problems.join("; ") || "valid"}`);
    ctx.check(r.advisories.length === 0, `practice (aud = issuer string, ≤ 5 min, jti): ${r.advisories.join("; ") || "followed"}`, "SHOULD");
    ctx.check(got.ok, "token obtained");
    let aud = "?";
    try {
      aud = JSON.stringify(decodeJwt(r.form.get("client_assertion") ?? "").aud);
    } catch { /* reported above */ }
    ctx.evidence(`aud ${aud}; claims valid`);
  },
} satisfies Scenario;
