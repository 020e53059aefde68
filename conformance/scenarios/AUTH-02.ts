import type { Scenario } from "../types.ts";
import { setup, SPECIAL_ID, SPECIAL_SECRET } from "./_helpers.ts";

export default {
  id: "AUTH-02",
  title: "client_secret_basic form-encodes id and secret before base64",
  severity: "MUST",
  source: "RFC 6749 §2.3.1 + Appendix B; RFC 7617 §2",
  requires: { subject: ["client_secret_basic"] },
  async run(ctx) {
    const client = { id: SPECIAL_ID, secret: SPECIAL_SECRET, methods: ["client_secret_basic"] as const };
    const { server, instance } = await setup(ctx, { client }, { clientId: SPECIAL_ID, auth: { method: "client_secret_basic", clientSecret: SPECIAL_SECRET } });
    const got = await ctx.attempt(() => instance.getToken());
    const b = server.tokenRequests()[0]?.basic;
    if (!b?.ok) return void ctx.check(false, `Basic credential parses (${b ? b.reason : "absent"})`);
    ctx.check(b.clientId === SPECIAL_ID, `client id decodes to ${JSON.stringify(b.clientId)}`);
    ctx.check(b.clientSecret === SPECIAL_SECRET, "secret decodes to the configured secret");
    const canonical = (v: string) => new URLSearchParams([["", v]]).toString().slice(1);
    ctx.note(`interop: id encoded as '${b.rawId}' (${b.rawId === canonical(SPECIAL_ID) ? "canonical" : "non-canonical"})`);
    ctx.check(got.ok, `token obtained${got.ok ? "" : ` (${got.info.kind})`}`);
    ctx.evidence(`id sent as '${b.rawId}', both parts decode exactly`);
  },
} satisfies Scenario;
