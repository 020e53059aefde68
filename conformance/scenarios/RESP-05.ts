import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-05",
  title: "A response whose access_token is missing, empty or not a string is rejected",
  severity: "ROBUST",
  source: "RFC 6749 §5.1",
  basis: [robust("RFC 6749 §5.1", "access_token is REQUIRED of the server; no sentence tells the client to reject a response without a usable one, but a token manager that caches one hands its callers nothing")],
  async run(ctx) {
    await control(ctx);
    const out: string[] = [];
    for (const [label, value] of [["missing", undefined], ["empty", ""], ["number", 12345]] as const) {
      const { instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { access_token: value }) });
      const got = await ctx.attempt(() => instance.getToken());
      ctx.check(!got.ok && got.info.kind === "invalid_response", `access_token ${label}: ${got.ok ? "accepted" : got.info.kind}`);
      out.push(`${label}→${got.ok ? "accepted" : got.info.kind}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
