import type { Scenario } from "../types.ts";
import { setup, SPECIAL_ID, SPECIAL_SECRET } from "./_helpers.ts";

export default {
  id: "AUTH-04",
  title: "client_secret_post puts form-encoded credentials in the body only",
  severity: "MUST",
  source: "RFC 6749 §2.3.1",
  requires: { subject: ["client_secret_post"] },
  async run(ctx) {
    const client = { id: SPECIAL_ID, secret: SPECIAL_SECRET, methods: ["client_secret_post"] as const };
    const { server, instance } = await setup(ctx, { client }, { clientId: SPECIAL_ID, auth: { method: "client_secret_post", clientSecret: SPECIAL_SECRET } });
    const got = await ctx.attempt(() => instance.getToken());
    const r = server.tokenRequests()[0];
    if (!r) return void ctx.check(false, "a token request was sent");
    ctx.check(r.form.get("client_id") === SPECIAL_ID, `client_id decodes to ${JSON.stringify(r.form.get("client_id"))}`);
    ctx.check(r.form.get("client_secret") === SPECIAL_SECRET, "client_secret decodes to the configured secret");
    ctx.check(r.form.ascii, "body is ASCII (non-ASCII percent-encoded as UTF-8)");
    ctx.check(r.header("authorization") === null, "no Authorization header");
    ctx.check(got.ok, "token obtained");
    ctx.evidence("client_id/client_secret in body decode exactly; no Authorization header");
  },
} satisfies Scenario;
