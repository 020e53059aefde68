import type { Scenario } from "../types.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-06",
  title: "expires_in: numeric strings and floats tolerated; garbage rejected",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 Appendix A.14, §5.1",
  async run(ctx) {
    const out: string[] = [];
    const cases: [string, unknown, boolean][] = [
      ['"3600"', "3600", true],
      ["3600.5", 3600.5, true],
      ['"abc"', "abc", false],
      ["null", null, false],
      ["-1", -1, false],
      ["true", true, false],
    ];
    for (const [label, value, tolerated] of cases) {
      const { instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { expires_in: value }) });
      const got = await ctx.attempt(() => instance.getToken());
      if (tolerated) ctx.check(got.ok, `expires_in ${label} tolerated: ${got.ok ? "yes" : got.info.kind}`, "ROBUST");
      else ctx.check(!got.ok, `expires_in ${label} rejected: ${got.ok ? "no, accepted" : got.info.kind}`, "MUST");
      out.push(`${label}→${got.ok ? "ok" : "rejected"}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
