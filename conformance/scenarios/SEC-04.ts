import type { Scenario } from "../types.ts";

export default {
  id: "SEC-04",
  title: "Discovery: issuer mismatch and http metadata refused; foreign token endpoint reported",
  severity: "MUST",
  severityLabel: "MUST/SHOULD",
  source: "RFC 8414 §3.3; RFC 9700 §2.6",
  requires: { subject: ["discovery"] },
  async run(ctx) {
    const discover = async (script: Parameters<typeof ctx.server>[0], issuer: string) => {
      const server = ctx.server(script);
      const env = ctx.env(server, { issuer });
      delete env.tokenEndpoint;
      const got = await ctx.attempt(async () => (await ctx.create(env)).getToken());
      return { server, got };
    };
    const a = await discover({ metadata: { issuer: "https://evil.test" } }, "https://as.test");
    ctx.check(!a.got.ok && a.server.tokenRequests().length === 0, `(a) issuer mismatch: ${a.got.ok ? "accepted" : a.got.info.kind}, ${a.server.tokenRequests().length} token requests`);
    const b = await discover({ issuer: "http://as.test", tokenEndpoint: "https://as.test/token" }, "http://as.test");
    const sentB = b.server.requests.filter((r) => r.url.startsWith("http:")).length;
    ctx.check(!b.got.ok && b.server.tokenRequests().length === 0, `(b) http issuer: ${b.got.ok ? "accepted" : b.got.info.kind}, ${sentB} http request(s)`);
    const c = await discover({ metadata: { token_endpoint: "https://other.test/token" }, origins: { "https://other.test": (_r, s) => s.defaultToken(_r) } }, "https://as.test");
    const toForeign = c.server.requests.filter((r) => r.origin === "https://other.test").length;
    ctx.note(`(c) foreign token endpoint: ${toForeign} request(s) sent there (${c.got.ok ? "accepted" : c.got.info.kind}); info: an allowlist is recommended`);
    ctx.evidence(`(a) ${a.got.ok ? "accepted" : a.got.info.kind}; (b) ${b.got.ok ? "accepted" : b.got.info.kind}; (c) foreign endpoint ${toForeign ? "used" : "refused"} (info)`);
  },
} satisfies Scenario;
