import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "RESP-08",
  title: "A JSON body that is not an object is rejected",
  severity: "ROBUST",
  source: "RFC 6749 §5.1",
  basis: [robust("RFC 6749 §5.1", "the parameters at the top level of a JSON object bind the server; refusing an array or null is a client's robustness")],
  async run(ctx) {
    await control(ctx);
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
