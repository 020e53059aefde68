import type { Scenario } from "../types.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-02",
  title: "token_type is case-insensitive; the RS gets the canonical Bearer scheme",
  severity: "MUST",
  source: "RFC 6749 §5.1; OIDF token-type-case-insensitivity",
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const seen: string[] = [];
    for (const type of ["bearer", "BEARER", "bEARER"]) {
      const { server, instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: type }) });
      const res = await ctx.attempt(() => instance.fetch("/data"));
      const rs = server.resourceRequests()[0];
      const token = server.issued[0]?.value;
      ctx.check(res.ok && res.value.status === 200, `token_type '${type}': RS answered ${res.ok ? res.value.status : res.info.kind}`);
      ctx.check(rs !== undefined && rs.header("authorization") === `Bearer ${token}`, `token_type '${type}': RS got scheme '${rs?.header("authorization")?.split(" ")[0]}'`);
      seen.push(`${type}→${rs?.header("authorization")?.split(" ")[0]}`);
    }
    ctx.evidence(seen.join(", "));
  },
} satisfies Scenario;
