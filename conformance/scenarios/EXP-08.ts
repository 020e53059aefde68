import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

const EXPIRED = 'Bearer realm="rs", error="invalid_token", error_description="expired"';

export default {
  id: "EXP-08",
  title: "401 invalid_token: one refresh and one replayed retry; no loop when it persists",
  severity: "ROBUST",
  source: "RFC 6750 §3.1",
  basis: [robust("RFC 6750 §3.1", "invalid_token tells the client the token is expired or revoked; no sentence says what it then does. One refresh and one replayed retry, never a loop, is robustness")],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    let rejectedOnce = false;
    const one = await setup(ctx, {
      resource: (req, s) => {
        if (rejectedOnce) return s.defaultResource(req);
        rejectedOnce = true;
        return { status: 401, headers: { "www-authenticate": EXPIRED }, body: "" };
      },
    });
    await ctx.attempt(() => one.instance.getToken());
    const res = await ctx.attempt(() => one.instance.fetch("/items", { method: "POST", body: "payload-1", headers: { "content-type": "text/plain" } }));
    if (res.ok) await drain(res.value);
    const rs = one.server.resourceRequests();
    ctx.check(res.ok && res.value.status === 200, `run 1: final status ${res.ok ? res.value.status : res.info.kind}`);
    ctx.check(one.server.tokenRequests().length === 2, `run 1: ${one.server.tokenRequests().length} token requests (1 new after 401)`);
    ctx.check(rs.length === 2 && rs[1]?.text === "payload-1", `run 1: ${rs.length} RS requests, retry body ${JSON.stringify(rs[1]?.text)}`);
    const two = await setup(ctx, { resource: () => ({ status: 401, headers: { "www-authenticate": EXPIRED }, body: "" }) });
    const res2 = await ctx.attempt(() => two.instance.fetch("/items"));
    if (res2.ok) await drain(res2.value);
    const n2 = two.server.resourceRequests().length;
    ctx.check(n2 === 2, `run 2: ${n2} RS requests (one retry, then give up)`);
    ctx.check(two.server.tokenRequests().length <= 2, `run 2: ${two.server.tokenRequests().length} token requests`);
    ctx.evidence(`run 1: ${rs.length} RS / ${one.server.tokenRequests().length} token requests; run 2: ${n2} RS requests then ${res2.ok ? res2.value.status : res2.info.kind}`);
  },
} satisfies Scenario;
