import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "RS-03",
  title: "RS 401 invalid_token: one refresh and one retry, then the 401 reaches the caller",
  severity: "ROBUST",
  source: "RFC 6750 §3.1",
  basis: [robust("RFC 6750 §3.1", "invalid_token says the token is expired or revoked; no sentence tells the client what to do next. One refresh and one retry is robustness")],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, {
      resource: () => ({ status: 401, headers: { "www-authenticate": 'Bearer realm="x", error="invalid_token", error_description="expired"' }, body: "" }),
    });
    const res = await ctx.attempt(() => instance.fetch("/data"));
    if (res.ok) await drain(res.value);
    const rs = server.resourceRequests().length;
    const tk = server.tokenRequests().length;
    ctx.check(rs === 2, `${rs} RS requests (one retry)`);
    ctx.check(tk === 2, `${tk} token requests (one refresh)`);
    ctx.check(res.ok ? res.value.status === 401 : true, `caller gets ${res.ok ? res.value.status : `error ${res.info.kind}`}`);
    ctx.evidence(`${rs} RS requests, ${tk} token requests, then ${res.ok ? res.value.status : res.info.kind}`);
  },
} satisfies Scenario;
