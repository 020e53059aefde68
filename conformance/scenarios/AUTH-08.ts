import type { Scenario } from "../types.ts";
import { decodeJwt } from "jose";
import { jwtClient } from "./_helpers.ts";

export default {
  id: "AUTH-08",
  title: "Every token request carries a fresh assertion (new jti), retries included",
  severity: "MUST",
  source: "OIDC Core §9 (jti MUST only be used once); OIDF CheckForClientAssertionJtiReuse",
  requires: { subject: ["private_key_jwt", "discovery", "clock"] },
  async run(ctx) {
    const { keys, auth } = await jwtClient();
    let failNext = false;
    const server = ctx.server({
      client: { id: "s6BhdRkqt3", methods: ["private_key_jwt"], publicKey: keys.publicKey, alg: "ES256" },
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
    ctx.clock.advance(400_000);
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
