import type { Scenario } from "../types.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-03",
  title: "A response without token_type is rejected",
  severity: "MUST",
  source: "RFC 6749 §5.1 (token_type REQUIRED)",
  async run(ctx) {
    const { server, instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: undefined }) });
    const got = await ctx.attempt(() => instance.getToken());
    ctx.check(!got.ok, "getToken() rejected");
    if (!got.ok) ctx.check(got.info.kind === "invalid_response", `error kind ${got.info.kind}`);
    const again = await ctx.attempt(() => instance.getToken());
    ctx.check(!again.ok, "still no token on the next call (nothing cached)");
    ctx.evidence(`${got.ok ? "accepted" : got.info.kind}; ${server.tokenRequests().length} token requests`);
  },
} satisfies Scenario;
