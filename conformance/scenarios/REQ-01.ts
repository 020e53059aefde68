import type { Scenario } from "../types.ts";
import { setup } from "./_helpers.ts";

const QUERY = "tenant=a%2Fb&x=1";

export default {
  id: "REQ-01",
  title: "Token request is a POST to the endpoint URL, its query kept byte for byte",
  severity: "MUST",
  source: "RFC 6749 §3.1 (query MUST be retained), §3.2 (MUST use POST)",
  async run(ctx) {
    const { server, instance } = await setup(ctx, { tokenEndpoint: `https://as.test/token?${QUERY}` });
    const got = await ctx.attempt(() => instance.getToken());
    const reqs = server.tokenRequests();
    ctx.check(reqs.length >= 1, `token requests: ${reqs.length}`);
    ctx.check(reqs.every((r) => r.method === "POST"), `methods: ${reqs.map((r) => r.method).join(",")}`);
    ctx.check(reqs.every((r) => r.query === QUERY), `query sent '${reqs[0]?.query}', configured '${QUERY}'`);
    ctx.check(got.ok, "token obtained");
    ctx.evidence(`${reqs.length} POST; query '${reqs[0]?.query}'`);
  },
} satisfies Scenario;
