import type { Scenario } from "../scenario.ts";
import { RFC6749_FORM, RFC6749_ONCE } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "REQ-03",
  title: "grant_type=client_credentials is sent exactly once",
  severity: "MUST",
  source: "RFC 6749 §4.4.2, §3.2",
  basis: [RFC6749_FORM, RFC6749_ONCE],
  async run(ctx) {
    const { server, instance } = await setup(ctx);
    await ctx.attempt(() => instance.getToken());
    const reqs = server.tokenRequests();
    ctx.check(reqs.length >= 1, `token requests: ${reqs.length}`);
    for (const r of reqs) ctx.check(r.form.all("grant_type").join(",") === "client_credentials", `grant_type '${r.form.all("grant_type").join(",")}'`);
    ctx.evidence(`grant_type '${reqs[0]?.form.all("grant_type").join(",")}'`);
  },
} satisfies Scenario;
