import type { Scenario } from "../scenario.ts";
import type { AuthConfig } from "../types.ts";
import { RFC6749_ONE_METHOD } from "./_basis.ts";
import { jwtClient, presented } from "./_helpers.ts";

export default {
  id: "AUTH-05",
  title: "Exactly one client authentication method per request",
  severity: "MUST",
  source: "RFC 6749 §2.3",
  basis: [RFC6749_ONE_METHOD],
  async run(ctx) {
    const runs: { name: string; auth: AuthConfig; methods: ("client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt")[]; jwt?: CryptoKey; alg?: string }[] = [];
    const secret = "7Fjfp0ZBr1KtDRbnfVdmIw";
    if (ctx.has("client_secret_basic")) runs.push({ name: "basic", auth: { method: "client_secret_basic", clientSecret: secret }, methods: ["client_secret_basic"] });
    if (ctx.has("client_secret_post")) runs.push({ name: "post", auth: { method: "client_secret_post", clientSecret: secret }, methods: ["client_secret_post"] });
    if (ctx.has("client_secret_jwt")) runs.push({ name: "client_secret_jwt", auth: { method: "client_secret_jwt", clientSecret: secret }, methods: ["client_secret_jwt"] });
    if (ctx.has("private_key_jwt") && ctx.has("discovery")) {
      const j = await jwtClient(ctx);
      runs.push({ name: "private_key_jwt", auth: j.auth, methods: ["private_key_jwt"], jwt: j.keys.publicKey, alg: j.client.alg! });
    }
    const seen: string[] = [];
    for (const run of runs) {
      const client = { id: "s6BhdRkqt3", secret, methods: run.methods, ...(run.jwt ? { publicKey: run.jwt, alg: run.alg! } : {}) };
      const server = ctx.server({ client, strict: true });
      const env = ctx.env(server, { auth: run.auth, ...(run.jwt ? { issuer: server.issuer } : {}) });
      if (run.jwt) delete env.tokenEndpoint;
      const instance = await ctx.create(env);
      const got = await ctx.attempt(() => instance.getToken());
      for (const r of server.tokenRequests()) {
        const p = presented(r);
        seen.push(`${run.name}:${p.join("+")}`);
        ctx.check(p.length === 1, `${run.name}: methods presented ${p.join(" + ") || "none"}`);
        const id = r.form.get("client_id");
        if (p[0] === "basic") ctx.check(id === undefined || id === client.id, `${run.name}: body client_id ${JSON.stringify(id)} with Basic`);
      }
      ctx.check(got.ok, `${run.name}: token obtained${got.ok ? "" : ` (${got.info.kind} ${got.info.error ?? ""})`}`);
    }
    ctx.evidence(`presented ${seen.join(", ")}`);
  },
} satisfies Scenario;
