import type { Scenario } from "../types.ts";
import { oauthError } from "../fake/server.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "GRANT-05",
  title: "A refresh_token in a client-credentials response is ignored; renewal uses client_credentials",
  severity: "SHOULD",
  source: "RFC 6749 §4.4.3 (a refresh token SHOULD NOT be included)",
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
    ctx.clock.advance(400_000);
    const again = await ctx.attempt(() => instance.getToken());
    const grants = server.tokenRequests().map((r) => r.form.get("grant_type"));
    ctx.check(grants.every((g) => g === "client_credentials"), `grant types used: ${grants.join(",")}`);
    ctx.check(!server.tokenRequests().some((r) => r.text.includes(refresh)), "refresh token never sent back");
    ctx.check(!ctx.logs.some((l) => l.includes(refresh)), "refresh token not logged");
    ctx.check(again.ok, "renewal succeeded");
    ctx.evidence(`${grants.length} token requests, all client_credentials`);
  },
} satisfies Scenario;
