import type { Scenario } from "../scenario.ts";
import { RFC6750_HEADER, robust } from "./_basis.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-02",
  title: "token_type is case-insensitive; the RS gets the canonical Bearer scheme",
  severity: "SHOULD",
  severityLabel: "SHOULD/ROBUST",
  source: "RFC 6749 §5.1; RFC 6750 §2.1; OIDF token-type-case-insensitivity",
  basis: [
    RFC6750_HEADER,
    robust("RFC 6749 §5.1", 'token_type "Value is case insensitive" says how to compare, not a MUST on the client; accepting bearer/BEARER is interop, and so is the canonical "Bearer" on the wire (RFC 9110 §11.1 makes the scheme case-insensitive, yet some resource servers are not)'),
  ],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const seen: string[] = [];
    for (const type of ["bearer", "BEARER", "bEARER"]) {
      const { server, instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: type }) });
      const res = await ctx.attempt(() => instance.fetch("/data"));
      const rs = server.resourceRequests()[0];
      const token = server.issued[0]?.value;
      ctx.check(res.ok && res.value.status === 200, `token_type '${type}': RS answered ${res.ok ? res.value.status : res.info.kind}`, "ROBUST");
      ctx.check(rs !== undefined && /^bearer$/i.test(rs.header("authorization")?.split(" ")[0] ?? ""), `token_type '${type}': the token went in Authorization with the Bearer scheme (${rs?.header("authorization")?.split(" ")[0] ?? "no request"})`, "SHOULD");
      ctx.check(rs !== undefined && rs.header("authorization") === `Bearer ${token}`, `token_type '${type}': RS got scheme '${rs?.header("authorization")?.split(" ")[0]}' (canonical 'Bearer')`, "ROBUST");
      seen.push(`${type}→${rs?.header("authorization")?.split(" ")[0]}`);
    }
    ctx.evidence(seen.join(", "));
  },
} satisfies Scenario;
