import type { Scenario } from "../scenario.ts";
import { RFC6749_TOKEN_TYPE, robust } from "./_basis.ts";
import { carries, control, setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-04",
  title: "Unknown token types are refused and the token never used",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §7.1",
  basis: [RFC6749_TOKEN_TYPE, robust("RFC 6749 §7.1", "a typed 'unsupported token type' error is a token manager's clarity")],
  async run(ctx) {
    await control(ctx);
    const kinds: string[] = [];
    for (const type of ["mac", "N_A", "urn:x:custom"]) {
      const { server, instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: type }) });
      const got = await ctx.attempt(() => instance.getToken());
      if (!ctx.has("fetch")) ctx.check(!got.ok || !/^(bearer|dpop)$/i.test(got.value.tokenType), `token_type '${type}': ${got.ok ? `handed to the caller as a '${got.value.tokenType}' token` : "refused"}`);
      ctx.check(!got.ok, `token_type '${type}': ${got.ok ? "returned" : "refused"}`, "ROBUST");
      if (!got.ok) ctx.check(got.info.kind === "unsupported_token_type", `token_type '${type}': error kind ${got.info.kind}`, "ROBUST");
      kinds.push(got.ok ? "accepted" : got.info.kind);
      if (ctx.has("fetch")) {
        await ctx.attempt(() => instance.fetch("/data"));
        const used = server.resourceRequests().filter((r) => server.issued.some((t) => carries(r, t.value)));
        ctx.check(used.length === 0, `token_type '${type}': token sent to the RS ${used.length} time(s)`);
      }
    }
    ctx.evidence(`mac/N_A/urn → ${kinds.join(", ")}; no token used`);
  },
} satisfies Scenario;
