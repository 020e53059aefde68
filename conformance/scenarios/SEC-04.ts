import type { Scenario } from "../scenario.ts";
import { RFC8414_ISSUER, RFC8414_URL, robust } from "./_basis.ts";
import { control } from "./_helpers.ts";

export default {
  id: "SEC-04",
  title: "Discovery: metadata at the RFC 8414 URL (issuer with a path too); issuer mismatch and http metadata refused",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 8414 §3.1, §3.3; RFC 9700 §2.6",
  basis: [
    RFC8414_URL,
    RFC8414_ISSUER,
    robust("RFC 8414 §2, §3", "the https issuer binds the server; a client that refuses http metadata does not trust what anyone on the path could forge. A token endpoint on another origin is reported, not graded"),
  ],
  requires: { subject: ["discovery"] },
  async run(ctx) {
    await control(ctx, {}, { discovery: true });
    const discover = async (script: Parameters<typeof ctx.server>[0], issuer: string) => {
      const server = ctx.server(script);
      const env = ctx.env(server, { issuer });
      delete env.tokenEndpoint;
      const got = await ctx.attempt(async () => (await ctx.create(env)).getToken());
      return { server, got };
    };
    // (d) An issuer with a path: metadata answers only at /.well-known/oauth-authorization-server/realms/x
    // (RFC 8414 §3.1) and /realms/x/.well-known/openid-configuration (OpenID Connect Discovery §4).
    const d = await discover({ issuer: "https://as.test/realms/x", tokenEndpoint: "https://as.test/realms/x/token" }, "https://as.test/realms/x");
    const asked = d.server.requests.filter((r) => r.method === "GET" && r.path.includes("/.well-known/")).map((r) => r.path);
    ctx.check(d.got.ok && d.server.tokenRequests().length >= 1, `(d) issuer with a path: ${d.got.ok ? "token obtained" : d.got.info.kind} after asking ${asked.join(", ") || "nothing"}`);
    const a = await discover({ metadata: { issuer: "https://evil.test" } }, "https://as.test");
    ctx.check(!a.got.ok && a.server.tokenRequests().length === 0, `(a) issuer mismatch: ${a.got.ok ? "accepted" : a.got.info.kind}, ${a.server.tokenRequests().length} token requests`);
    const b = await discover({ issuer: "http://as.test", tokenEndpoint: "https://as.test/token" }, "http://as.test");
    const sentB = b.server.requests.filter((r) => r.url.startsWith("http:")).length;
    ctx.check(!b.got.ok && b.server.tokenRequests().length === 0, `(b) http issuer: ${b.got.ok ? "accepted" : b.got.info.kind}, ${sentB} http request(s)`, "ROBUST");
    const c = await discover({ metadata: { token_endpoint: "https://other.test/token" }, origins: { "https://other.test": (_r, s) => s.defaultToken(_r) } }, "https://as.test");
    const toForeign = c.server.requests.filter((r) => r.origin === "https://other.test").length;
    ctx.note(`(c) foreign token endpoint: ${toForeign} request(s) sent there (${c.got.ok ? "accepted" : c.got.info.kind}); info: an allowlist is recommended`);
    ctx.evidence(`(d) path issuer found at ${asked[asked.length - 1] ?? "-"}; (a) ${a.got.ok ? "accepted" : a.got.info.kind}; (b) ${b.got.ok ? "accepted" : b.got.info.kind}; (c) foreign endpoint ${toForeign ? "used" : "refused"} (info)`);
  },
} satisfies Scenario;
