import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "RS-04",
  title: "RS 403 insufficient_scope: no refresh, no retry loop",
  severity: "ROBUST",
  source: "RFC 6750 §3.1",
  basis: [robust("RFC 6750 §3.1", "insufficient_scope says the token lacks privileges; a new token for the same scope will not have them, so refreshing and retrying only adds load. No sentence binds the client")],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, {
      resource: () => ({ status: 403, headers: { "www-authenticate": 'Bearer error="insufficient_scope", scope="admin"' }, body: "" }),
    });
    const res = await ctx.attempt(() => instance.fetch("/admin"));
    if (res.ok) await drain(res.value);
    const rs = server.resourceRequests().length;
    const tk = server.tokenRequests().length;
    ctx.check(rs === 1, `${rs} RS requests`);
    ctx.check(tk === 1, `${tk} token requests`);
    if (res.ok) ctx.check(res.value.status === 403 && (res.value.headers.get("www-authenticate") ?? "").includes("admin"), `caller gets ${res.value.status} with the challenge`);
    ctx.evidence(`${rs} RS request, ${tk} token request; caller gets ${res.ok ? res.value.status : res.info.kind}`);
  },
} satisfies Scenario;
