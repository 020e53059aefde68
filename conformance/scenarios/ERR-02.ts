import type { Scenario } from "../types.ts";
import { oauthError } from "../fake/server.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "ERR-02",
  title: "401 invalid_client surfaces as invalid_client, with or without a Basic challenge; no retry",
  severity: "MUST",
  source: "RFC 6749 §5.2",
  async run(ctx) {
    const out: string[] = [];
    for (const [label, headers] of [["with WWW-Authenticate", { "www-authenticate": 'Basic realm="as"' }], ["without", {}]] as const) {
      const { server, instance } = await setup(ctx, { token: () => oauthError(401, "invalid_client", "unknown client", headers) });
      const got = await ctx.attempt(() => instance.getToken());
      const n = server.tokenRequests().length;
      ctx.check(!got.ok && got.info.error === "invalid_client", `${label}: ${got.ok ? "accepted" : `${got.info.kind} ${got.info.error ?? "(no error code)"}`}`);
      ctx.check(n === 1, `${label}: ${n} token requests (no retry)`);
      out.push(`${label}→${got.ok ? "ok" : got.info.error ?? got.info.kind}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
