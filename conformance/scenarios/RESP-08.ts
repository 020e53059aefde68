import type { Scenario } from "../types.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "RESP-08",
  title: "A JSON body that is not an object is rejected",
  severity: "MUST",
  source: "RFC 6749 §5.1",
  async run(ctx) {
    const out: string[] = [];
    for (const body of ["[]", "null", '"token"']) {
      const { instance } = await setup(ctx, { token: () => ({ body, headers: { "content-type": "application/json" } }) });
      const got = await ctx.attempt(() => instance.getToken());
      ctx.check(!got.ok && got.info.kind === "invalid_response", `body ${body}: ${got.ok ? "accepted" : got.info.kind}`);
      out.push(`${body}→${got.ok ? "accepted" : got.info.kind}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
