import type { Scenario } from "../types.ts";
import { carries, setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-04",
  title: "Unknown token types are refused and the token never used",
  severity: "MUST",
  source: "RFC 6749 §7.1 (MUST NOT use a token whose type it does not understand)",
  async run(ctx) {
    const kinds: string[] = [];
    for (const type of ["mac", "N_A", "urn:x:custom"]) {
      const { server, instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: type }) });
      const got = await ctx.attempt(() => instance.getToken());
      ctx.check(!got.ok && got.info.kind === "unsupported_token_type", `token_type '${type}': ${got.ok ? "accepted" : got.info.kind}`);
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
