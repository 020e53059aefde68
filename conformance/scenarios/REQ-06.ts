import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "REQ-06",
  title: "Token request asks for JSON (Accept: application/json)",
  severity: "ROBUST",
  source: "GitHub behaviour (github/docs#3944)",
  basis: [robust("github/docs#3944", "RFC 6749 §5.1 makes JSON the only response format, so no RFC asks for Accept; GitHub answers form-encoded without it")],
  async run(ctx) {
    const { server, instance } = await setup(ctx, {
      token: (req, s) => {
        if ((req.header("accept") ?? "").includes("application/json")) return undefined;
        return { body: `access_token=${encodeURIComponent(s.issue().value)}&token_type=bearer&scope=`, headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } };
      },
    });
    const got = await ctx.attempt(() => instance.getToken());
    const accept = server.tokenRequests()[0]?.header("accept") ?? null;
    ctx.check((accept ?? "").includes("application/json"), `Accept ${JSON.stringify(accept)}`);
    ctx.check(got.ok, "token obtained");
    ctx.evidence(`Accept '${accept}'; token obtained`);
  },
} satisfies Scenario;
