import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-10",
  title: "JSON media type with parameters is accepted; odd content types handled consistently",
  severity: "ROBUST",
  source: "RFC 6749 §5.1; RFC 9110 §8.3.1",
  basis: [robust("RFC 6749 §5.1; RFC 9110 §8.3.1", "the server answers application/json; a media type may carry parameters (RFC 9110 §8.3.1), and accepting them, or odd labels consistently, is a client's robustness, not an RFC MUST on the client")],
  async run(ctx) {
    const out: string[] = [];
    for (const [type, must] of [["application/json; charset=utf-8", true], ["application/json;charset=UTF-8", true], ["text/plain", false], ["", false]] as const) {
      const { instance } = await setup(ctx, {
        token: (_r, s) => ({ body: JSON.stringify(tokenReply(s).json), headers: { "content-type": type, "cache-control": "no-store" } }),
      });
      const got = await ctx.attempt(() => instance.getToken());
      if (must) ctx.check(got.ok, `'${type}': ${got.ok ? "accepted" : got.info.kind}`, "ROBUST");
      else ctx.check(got.ok || got.info.kind === "invalid_response", `'${type || "(none)"}': ${got.ok ? "accepted" : got.info.kind}`, "ROBUST");
      out.push(`'${type || "none"}'→${got.ok ? "ok" : got.info.kind}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
