import type { Scenario } from "../scenario.ts";
import { RFC6749_FORM, RFC6749_NOT_IN_URI } from "./_basis.ts";
import { setup } from "./_helpers.ts";

const FORBIDDEN = ["client_secret", "client_assertion", "client_assertion_type", "grant_type", "scope", "client_id", "resource"];

export default {
  id: "REQ-05",
  title: "No credential or grant parameter in the token request URI",
  severity: "MUST",
  source: "RFC 6749 §2.3.1, §4.4.2",
  basis: [RFC6749_NOT_IN_URI, RFC6749_FORM],
  async run(ctx) {
    const { server, instance } = await setup(ctx, { tokenEndpoint: "https://as.test/token?tenant=1" }, ctx.has("scope") ? { scope: ["a"] } : {});
    await ctx.attempt(() => instance.getToken());
    const reqs = server.tokenRequests();
    ctx.check(reqs.length >= 1, `token requests: ${reqs.length}`);
    for (const r of reqs) {
      const names = [...new URLSearchParams(r.query).keys()];
      const bad = names.filter((n) => FORBIDDEN.includes(n));
      ctx.check(bad.length === 0, `query parameters: ${names.join(",")}`);
    }
    ctx.evidence(`query '${reqs[0]?.query}' (only the endpoint's own)`);
  },
} satisfies Scenario;
