import type { Scenario } from "../scenario.ts";
import { decodeJwt } from "jose";
import { route } from "../fake/server.ts";
import { jwtClient } from "./_helpers.ts";

export default {
  id: "SEC-07",
  title: "Assertions to an attacker AS carry its own issuer as aud (never the honest AS's)",
  severity: "SHOULD",
  source: "draft-ietf-oauth-security-topics-update-03 §2.1; draft-ietf-oauth-rfc7523bis",
  basis: [{
    tier: "SHOULD",
    source: "draft-ietf-oauth-rfc7523bis; draft-ietf-oauth-security-topics-update (drafts, not RFCs: graded SHOULD)",
    text: "paraphrased, no RFC text yet: a client assertion's audience is the issuer identifier of the authorization server it is sent to, as a single string, so that an attacker's server cannot replay it at another",
  }],
  requires: { subject: ["private_key_jwt", "discovery"] },
  async run(ctx) {
    const { auth, client } = await jwtClient(ctx);
    const honest = ctx.server({ issuer: "https://as.test", client });
    const attacker = ctx.server({ issuer: "https://a-as.test", tokenEndpoint: "https://as.test/", client });
    const fetch = route(honest, attacker);
    const envA = ctx.env(attacker, { fetch, issuer: "https://a-as.test", auth });
    delete envA.tokenEndpoint;
    await ctx.attempt(async () => (await ctx.create(envA)).getToken());
    const envH = ctx.env(honest, { fetch, issuer: "https://as.test", auth });
    delete envH.tokenEndpoint;
    await ctx.attempt(async () => (await ctx.create(envH)).getToken());
    const auds = (reqs: typeof honest.requests) =>
      reqs.filter((r) => r.form.get("client_assertion")).map((r) => {
        try {
          return decodeJwt(r.form.get("client_assertion")!).aud;
        } catch {
          return "?";
        }
      });
    const toAttacker = auds(honest.requests.filter((r) => r.path === "/"));
    const toHonest = auds(honest.tokenRequests());
    ctx.check(toAttacker.length >= 1, `${toAttacker.length} assertion(s) sent to the attacker's token endpoint`);
    ctx.check(toAttacker.every((a) => a === "https://a-as.test"), `attacker assertions aud ${JSON.stringify(toAttacker)}`);
    ctx.check(toHonest.every((a) => a === "https://as.test") && toHonest.length >= 1, `honest assertions aud ${JSON.stringify(toHonest)}`);
    ctx.evidence(`aud to attacker ${JSON.stringify(toAttacker[0])}, to honest ${JSON.stringify(toHonest[0])}`);
  },
} satisfies Scenario;
