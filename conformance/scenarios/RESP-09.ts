import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "RESP-09",
  title: "A 200 response carrying an OAuth error is an error, not a token",
  severity: "ROBUST",
  source: "RFC 6749 §5.1, §5.2",
  basis: [robust("RFC 6749 §5.1, §5.2", "a success is a 200 with access_token, an error carries error; treating a 200 error body as an error is a client's robustness")],
  async run(ctx) {
    await control(ctx);
    const { instance } = await setup(ctx, { token: () => ({ json: { error: "invalid_client", error_description: "no such client" } }) });
    const got = await ctx.attempt(() => instance.getToken());
    ctx.check(!got.ok && (got.info.kind === "invalid_response" || got.info.kind === "oauth"), `200 + error body: ${got.ok ? "accepted" : got.info.kind}`);
    ctx.evidence(`200 {"error":"invalid_client"} → ${got.ok ? "accepted" : `${got.info.kind}${got.info.error ? ` ${got.info.error}` : ""}`}`);
  },
} satisfies Scenario;
