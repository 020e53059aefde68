import type { Scenario } from "../scenario.ts";
import { RFC6750_ONE_METHOD } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "RS-02",
  title: "The token travels only in the Authorization header",
  severity: "MUST",
  source: "RFC 6750 §2; OIDF EnsureBearerAccessTokenNotInParams",
  basis: [RFC6750_ONE_METHOD],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx);
    for (const init of [{}, { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }] as RequestInit[]) {
      const res = await ctx.attempt(() => instance.fetch("/data?x=1", init));
      if (res.ok) await drain(res.value);
    }
    const reqs = server.resourceRequests();
    ctx.check(reqs.length === 2, `${reqs.length} RS requests`);
    for (const r of reqs) {
      const token = (r.header("authorization") ?? "").replace(/^\S+ /, "");
      ctx.check(!new URLSearchParams(r.query).has("access_token"), `${r.method}: no access_token in the query`);
      ctx.check(r.form.get("access_token") === undefined, `${r.method}: no access_token in the body`);
      const elsewhere = r.headers.filter(([k, v]) => k !== "authorization" && token.length > 8 && v.includes(token)).map(([k]) => k);
      ctx.check(elsewhere.length === 0, `${r.method}: token also in ${elsewhere.join(",") || "no other header"}`);
    }
    ctx.evidence("GET and POST: token only in Authorization");
  },
} satisfies Scenario;
