import type { Scenario } from "../scenario.ts";
import { decodeJwt } from "jose";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { jwtClient } from "./_helpers.ts";

export default {
  id: "AUTH-08",
  title: "Every token request carries a fresh assertion (new jti), retries included",
  severity: "ROBUST",
  source: "RFC 7523 §3; OIDC Core §9; OIDF CheckForClientAssertionJtiReuse",
  basis: [
    robust("RFC 7523 §3; OIDC Core §9", 'RFC 7523 makes jti optional ("The JWT MAY contain a \"jti\" (JWT ID) claim that provides a unique identifier for the token.") and leaves replay checks to the server; OIDC Core §9, not an RFC, says a jti "MUST only be used once": a server that enforces it refuses a replayed assertion'),
  ],
  requires: { subject: ["private_key_jwt", "discovery", "clock"] },
  async run(ctx) {
    const { auth, client } = await jwtClient(ctx);
    let failNext = false;
    const server = ctx.server({
      client,
      token: () => {
        if (!failNext) return undefined;
        failNext = false;
        return { status: 503, body: "" };
      },
    });
    const env = ctx.env(server, { issuer: server.issuer, auth });
    delete env.tokenEndpoint;
    const instance = await ctx.create(env);
    await ctx.attempt(() => instance.getToken());
    ctx.clock.advance((TOKEN_LIFETIME_S + 100) * 1000);
    failNext = true;
    const second = await ctx.attempt(() => instance.getToken());
    if (!second.ok || server.tokenRequests().length < 3) await ctx.attempt(() => instance.getToken());
    const assertions = server.tokenRequests().map((r) => r.form.get("client_assertion") ?? "");
    const jtis = assertions.map((a) => {
      try {
        return String(decodeJwt(a).jti);
      } catch {
        return "?";
      }
    });
    ctx.check(assertions.length >= 3, `token requests: ${assertions.length}`);
    ctx.check(new Set(assertions).size === assertions.length, "no assertion sent twice");
    ctx.check(new Set(jtis).size === jtis.length, `jti values distinct (${new Set(jtis).size}/${jtis.length})`);
    ctx.evidence(`${assertions.length} token requests (initial, after expiry, after 503), ${new Set(jtis).size} distinct jti`);
  },
} satisfies Scenario;
