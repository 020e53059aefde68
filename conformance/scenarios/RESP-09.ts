import type { Scenario } from "../types.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "RESP-09",
  title: "A 200 response carrying an OAuth error is an error, not a token",
  severity: "MUST",
  source: "RFC 6749 §5.1, §5.2",
  async run(ctx) {
    const { instance } = await setup(ctx, { token: () => ({ json: { error: "invalid_client", error_description: "no such client" } }) });
    const got = await ctx.attempt(() => instance.getToken());
    ctx.check(!got.ok && (got.info.kind === "invalid_response" || got.info.kind === "oauth"), `200 + error body: ${got.ok ? "accepted" : got.info.kind}`);
    ctx.evidence(`200 {"error":"invalid_client"} → ${got.ok ? "accepted" : `${got.info.kind}${got.info.error ? ` ${got.info.error}` : ""}`}`);
  },
} satisfies Scenario;
