import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-11",
  title: "Only 200 is a token response; a stray WWW-Authenticate on 200 is harmless",
  severity: "ROBUST",
  source: "RFC 6749 §5.1; oauth4webapi#191",
  basis: [robust("RFC 6749 §5.1; oauth4webapi#191", "the 200 (OK) status code binds the server; refusing a 201 or 204 and tolerating a stray challenge on 200 are a client's robustness")],
  async run(ctx) {
    await control(ctx);
    const a = await setup(ctx, { token: (_r, s) => tokenReply(s, {}, { status: 201 }) });
    const ra = await ctx.attempt(() => a.instance.getToken());
    ctx.check(!ra.ok, `(a) 201 with a token body: ${ra.ok ? "accepted" : `rejected (${ra.info.kind})`}`, "ROBUST");
    const b = await setup(ctx, { token: () => ({ status: 204 }) });
    const rb = await ctx.attempt(() => b.instance.getToken());
    ctx.check(!rb.ok, `(b) 204: ${rb.ok ? "accepted" : `rejected (${rb.info.kind})`}`, "ROBUST");
    const c = await setup(ctx, { token: (_r, s) => tokenReply(s, {}, { headers: { "www-authenticate": 'Key realm="kong"', "cache-control": "no-store" } }) });
    const rc = await ctx.attempt(() => c.instance.getToken());
    ctx.check(rc.ok, `(c) 200 + WWW-Authenticate: Key: ${rc.ok ? "accepted" : `rejected (${rc.info.kind})`}`, "ROBUST");
    ctx.evidence(`201→${ra.ok ? "ok" : "rejected"}, 204→${rb.ok ? "ok" : "rejected"}, 200+challenge→${rc.ok ? "ok" : "rejected"}`);
  },
} satisfies Scenario;
