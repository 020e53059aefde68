import type { Scenario } from "../scenario.ts";
import { oauthError } from "../fake/server.ts";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "GRANT-05",
  title: "A refresh_token in a client-credentials response is ignored; renewal uses client_credentials",
  severity: "ROBUST",
  source: "RFC 6749 §4.4.3",
  basis: [robust("RFC 6749 §4.4.3", '"A refresh token SHOULD NOT be included." binds the server; renewing with client credentials and keeping no refresh token is what a client-credentials client should then do')],
  requires: { subject: ["clock"] },
  async run(ctx) {
    const refresh = `SENTINEL_RT_${crypto.randomUUID()}`;
    ctx.secret(refresh);
    const { server, instance } = await setup(ctx, {
      token: (req, s) => {
        if (req.form.get("grant_type") === "refresh_token") return oauthError(400, "unsupported_grant_type");
        return tokenReply(s, { refresh_token: refresh });
      },
    });
    await ctx.attempt(() => instance.getToken());
    ctx.clock.advance((TOKEN_LIFETIME_S + 100) * 1000);
    const again = await ctx.attempt(() => instance.getToken());
    const grants = server.tokenRequests().map((r) => r.form.get("grant_type"));
    ctx.check(grants.every((g) => g === "client_credentials"), `grant types used: ${grants.join(",")}`);
    ctx.check(!server.tokenRequests().some((r) => r.text.includes(refresh)), "refresh token never sent back");
    ctx.check(!ctx.logs.some((l) => l.includes(refresh)), "refresh token not logged");
    ctx.check(again.ok, "renewal succeeded");
    ctx.evidence(`${grants.length} token requests, all client_credentials`);
  },
} satisfies Scenario;
