import type { Scenario } from "../scenario.ts";
import { oauthError } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "ERR-02",
  title: "401 invalid_client surfaces as invalid_client, with or without a Basic challenge; no retry",
  severity: "ROBUST",
  source: "RFC 6749 §5.2",
  basis: [robust("RFC 6749 §5.2", "invalid_client with a 401 and WWW-Authenticate binds the server; surfacing the code whatever the challenge, and not retrying with the same credentials, is a client's robustness")],
  async run(ctx) {
    await control(ctx);
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
