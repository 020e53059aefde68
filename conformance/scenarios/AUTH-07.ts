import type { Scenario } from "../types.ts";
import { decodeJwt } from "jose";
import { jwtClient } from "./_helpers.ts";

export default {
  id: "AUTH-07",
  title: "private_key_jwt assertion claims (iss, sub, aud = issuer string, exp, jti, alg)",
  severity: "MUST",
  source: "RFC 7521 §4.2; RFC 7523 §2.2, §3; OIDC Core §9; FAPI2 5.3.3.1-5",
  requires: { subject: ["private_key_jwt", "discovery"] },
  async run(ctx) {
    const { keys, auth } = await jwtClient();
    const server = ctx.server({ client: { id: "s6BhdRkqt3", methods: ["private_key_jwt"], publicKey: keys.publicKey, alg: "ES256" } });
    const env = ctx.env(server, { issuer: server.issuer, auth });
    delete env.tokenEndpoint;
    const instance = await ctx.create(env);
    const got = await ctx.attempt(() => instance.getToken());
    const r = server.tokenRequests()[0];
    if (!r) return void ctx.check(false, "a token request was sent");
    ctx.check(r.form.all("client_assertion_type").join() === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion_type is the jwt-bearer URN");
    ctx.check(r.form.all("client_assertion").length === 1, `client_assertion count ${r.form.all("client_assertion").length}`);
    ctx.check(r.problems.length === 0, `assertion problems: ${r.problems.join("; ") || "none"}`);
    ctx.check(got.ok, "token obtained");
    let aud = "?";
    try {
      aud = JSON.stringify(decodeJwt(r.form.get("client_assertion") ?? "").aud);
    } catch { /* reported above */ }
    ctx.evidence(`aud ${aud}; claims valid`);
  },
} satisfies Scenario;
