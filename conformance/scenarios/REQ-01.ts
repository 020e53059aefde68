import type { Scenario } from "../scenario.ts";
import { RFC6749_POST, RFC6749_QUERY_KEPT } from "./_basis.ts";
import { setup } from "./_helpers.ts";

const QUERY = "tenant=a%2Fb&x=1";

// RFC 6749 §3.2 lets a client add query parameters; only dropping or changing the endpoint's own fails.
export default {
  id: "REQ-01",
  title: "Token request is a POST to the endpoint URL, its own query parameters kept",
  severity: "MUST",
  source: "RFC 6749 §3.2",
  basis: [RFC6749_POST, RFC6749_QUERY_KEPT],
  async run(ctx) {
    const { server, instance } = await setup(ctx, { tokenEndpoint: `https://as.test/token?${QUERY}` });
    const got = await ctx.attempt(() => instance.getToken());
    const reqs = server.tokenRequests();
    const own = [...new URLSearchParams(QUERY)];
    ctx.check(reqs.length >= 1, `token requests: ${reqs.length}`);
    ctx.check(reqs.every((r) => r.method === "POST"), `methods: ${reqs.map((r) => r.method).join(",")}`);
    for (const r of reqs) {
      const sent = new URLSearchParams(r.query);
      const kept = own.every(([k, v]) => sent.getAll(k).length === 1 && sent.get(k) === v);
      ctx.check(kept, `query sent '${r.query}': the endpoint's own '${QUERY}' ${kept ? "kept" : "dropped or changed"}`);
    }
    ctx.check(got.ok, "token obtained");
    ctx.evidence(`${reqs.length} POST; query '${reqs[0]?.query}' keeps the endpoint's own parameters`);
  },
} satisfies Scenario;
