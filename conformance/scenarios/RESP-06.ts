import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-06",
  title: "expires_in: numeric strings and floats tolerated; garbage rejected",
  severity: "ROBUST",
  source: "RFC 6749 §5.1, Appendix A.14",
  basis: [robust("RFC 6749 §5.1, Appendix A.14", "expires-in = 1*DIGIT describes the server's response; tolerating \"3600\" and rejecting \"abc\" are both a client's robustness, and cannot both be MUST")],
  async run(ctx) {
    await control(ctx);
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
      else ctx.check(!got.ok, `expires_in ${label} rejected: ${got.ok ? "no, accepted" : got.info.kind}`, "ROBUST");
      out.push(`${label}→${got.ok ? "ok" : "rejected"}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
