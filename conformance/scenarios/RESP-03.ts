import type { Scenario } from "../scenario.ts";
import { RFC6749_TOKEN_TYPE, robust } from "./_basis.ts";
import { carries, control, setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-03",
  title: "A response without token_type is not used as a token (rejected, or at least never sent as Bearer)",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §5.1, §7.1",
  basis: [RFC6749_TOKEN_TYPE, robust("RFC 6749 §5.1", "that the error says 'invalid response' (not a network or OAuth error) is a token manager's clarity")],
  async run(ctx) {
    await control(ctx);
    const { server, instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: undefined }) });
    const got = await ctx.attempt(() => instance.getToken());
    // §7.1 forbids using it. With a resource helper, using means sending it; without one, handing
    // it to the caller labelled as a Bearer (or DPoP) token.
    if (ctx.has("fetch")) {
      await ctx.attempt(async () => (await instance.fetch("/data")).body?.cancel());
      const used = server.resourceRequests().filter((r) => server.issued.some((t) => carries(r, t.value)));
      ctx.check(used.length === 0, `token without token_type sent to the RS ${used.length} time(s)`);
    } else {
      ctx.check(!got.ok || !/^(bearer|dpop)$/i.test(got.value.tokenType), `getToken() ${got.ok ? `returned it as a '${got.value.tokenType}' token` : "rejected"}`);
    }
    ctx.check(!got.ok, `getToken() ${got.ok ? "returned the token" : "rejected"}`, "ROBUST");
    if (!got.ok) ctx.check(got.info.kind === "invalid_response", `error kind ${got.info.kind}`, "ROBUST");
    const again = await ctx.attempt(() => instance.getToken());
    ctx.check(!again.ok, "still no token on the next call (nothing cached)", "ROBUST");
    ctx.evidence(`${got.ok ? "accepted" : got.info.kind}; ${server.tokenRequests().length} token requests`);
  },
} satisfies Scenario;
