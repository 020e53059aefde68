import type { Scenario } from "../scenario.ts";
import type { Handler } from "../fake/server.ts";
import { RFC6750_TLS, robust } from "./_basis.ts";
import { control, drain } from "./_helpers.ts";

const answer: Handler = () => ({ json: { access_token: "SENTINEL_AT_http", token_type: "Bearer", expires_in: 300 } });

export default {
  id: "SEC-01",
  title: "Plain http endpoints are refused before any credential or token leaves",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6750 §5.3; RFC 6749 §3.2, §10.9",
  basis: [
    RFC6750_TLS,
    robust("RFC 6749 §3.2, §10.9", 'TLS at the token endpoint is put on the server ("the authorization server MUST require the use of TLS"); a client that refuses to send its secret over http protects it when the server does not'),
  ],
  async run(ctx) {
    await control(ctx);
    const origins = { "http://as.test": answer, "http://rs.test": answer };
    // (a) a static http token endpoint
    const a = ctx.server({ origins });
    const ra = await ctx.attempt(async () => (await ctx.create(ctx.env(a, { tokenEndpoint: "http://as.test/token" }))).getToken());
    const sentA = a.requests.filter((r) => r.origin === "http://as.test").length;
    ctx.check(!ra.ok && sentA === 0, `(a) http token endpoint: ${ra.ok ? "token obtained" : ra.info.kind}, ${sentA} request(s) over http`, "ROBUST");
    // (b) an http resource server
    if (ctx.has("fetch")) {
      const b = ctx.server({ origins });
      const rb = await ctx.attempt(async () => {
        const res = await (await ctx.create(ctx.env(b, { baseUrl: "http://rs.test" }))).fetch("http://rs.test/data");
        await drain(res);
        return res;
      });
      const leaked = b.requests.filter((r) => r.origin === "http://rs.test" && r.header("authorization") !== null).length;
      ctx.check(leaked === 0, `(b) http resource server: ${rb.ok ? `status ${rb.value.status}` : rb.info.kind}, token sent over http ${leaked} time(s)`, "MUST");
    }
    // (c) metadata pointing at an http token endpoint
    if (ctx.has("discovery")) {
      const c = ctx.server({ origins, metadata: { token_endpoint: "http://as.test/token" } });
      const env = ctx.env(c, { issuer: c.issuer });
      delete env.tokenEndpoint;
      const rc = await ctx.attempt(async () => (await ctx.create(env)).getToken());
      const sentC = c.requests.filter((r) => r.origin === "http://as.test").length;
      ctx.check(!rc.ok && sentC === 0, `(c) discovered http token endpoint: ${rc.ok ? "token obtained" : rc.info.kind}, ${sentC} request(s) over http`, "ROBUST");
    }
    ctx.evidence(`http refused before sending (${ra.ok ? "-" : ra.info.kind})`);
  },
} satisfies Scenario;
