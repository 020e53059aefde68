import type { Scenario } from "../scenario.ts";
import { RFC6749_BASIC_ENCODING, RFC6749_ONE_METHOD } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "AUTH-01",
  title: "client_secret_basic sends the RFC 6749 Basic credential",
  severity: "MUST",
  source: "RFC 6749 §2.3.1, §2.3",
  basis: [RFC6749_BASIC_ENCODING, RFC6749_ONE_METHOD],
  requires: { subject: ["client_secret_basic"] },
  async run(ctx) {
    const client = { id: "s6BhdRkqt3", secret: "7Fjfp0ZBr1KtDRbnfVdmIw", methods: ["client_secret_basic"] as const };
    const { server, instance } = await setup(ctx, { client }, { auth: { method: "client_secret_basic", clientSecret: client.secret } });
    const got = await ctx.attempt(() => instance.getToken());
    const r = server.tokenRequests()[0];
    if (!r) return void ctx.check(false, "a token request was sent");
    const header = r.header("authorization") ?? "";
    const b = r.basic;
    ctx.check(b?.ok === true && b.clientId === client.id && b.clientSecret === client.secret, `Basic credential decodes to the client (${b?.ok ? "ok" : b ? b.reason : "no Basic header"})`);
    ctx.check(/^basic [A-Za-z0-9+/]+=*$/i.test(header), "one space, base64 token68");
    ctx.check(r.form.get("client_secret") === undefined, "no client_secret in the body");
    ctx.check(got.ok, "token obtained");
    ctx.evidence(`Authorization '${header.slice(0, 6)}…' decodes to ${client.id}:<secret>`);
  },
} satisfies Scenario;
