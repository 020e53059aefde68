import type { Scenario } from "../scenario.ts";
import { oauthError } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { control, presented, setup } from "./_helpers.ts";

export default {
  id: "AUTH-06",
  title: "Client authentication follows metadata and never silently falls back after invalid_client",
  severity: "ROBUST",
  source: "RFC 8414 §2; RFC 9700 §2.6",
  basis: [
    robust("RFC 8414 §2", 'the metadata default ("If omitted, the default is \"client_secret_basic\"") defines what the server supports; no sentence makes a client pick from metadata or forbids retrying with another method'),
  ],
  async run(ctx) {
    const secret = "7Fjfp0ZBr1KtDRbnfVdmIw";
    await control(ctx);
    if (ctx.has("auth_auto") && ctx.has("discovery")) {
      for (const [label, methods, expected] of [["(a) no methods listed", undefined, "basic"], ["(b) post only", ["client_secret_post"], "post"]] as const) {
        const server = ctx.server({ metadata: { token_endpoint_auth_methods_supported: methods } });
        const env = ctx.env(server, { issuer: server.issuer, auth: { method: "auto", clientSecret: secret } });
        delete env.tokenEndpoint;
        const instance = await ctx.create(env);
        await ctx.attempt(() => instance.getToken());
        const p = server.tokenRequests().map((r) => presented(r).join("+"));
        ctx.check(p[0] === expected, `${label}: used ${p[0] ?? "nothing"}, expected ${expected}`);
      }
    } else ctx.note("subject has no automatic method selection: only the fallback part runs");
    const { server, instance } = await setup(ctx, { token: () => oauthError(401, "invalid_client") });
    const got = await ctx.attempt(() => instance.getToken());
    const methods = server.tokenRequests().map((r) => presented(r).join("+"));
    ctx.check(!got.ok, "invalid_client surfaces as an error");
    ctx.check(new Set(methods).size <= 1, `methods tried after invalid_client: ${methods.join(", ")}`);
    ctx.evidence(`after invalid_client: ${methods.length} request(s), method ${methods[0]}`);
  },
} satisfies Scenario;
