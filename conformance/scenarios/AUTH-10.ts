import type { Scenario } from "../types.ts";
import { setup, SPECIAL_ID, SPECIAL_SECRET } from "./_helpers.ts";

/** What Authlib and other servers do with a Basic credential part: percent-decoding, no `+` rule. */
function percentDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export default {
  id: "AUTH-10",
  title: "client_secret_basic credentials decode the same with a form decoder and a plain percent decoder",
  severity: "SHOULD",
  source: "RFC 6749 §2.3.1 + Appendix B; interop with percent-decoding servers (Authlib)",
  requires: { subject: ["client_secret_basic"] },
  async run(ctx) {
    const client = { id: SPECIAL_ID, secret: SPECIAL_SECRET, methods: ["client_secret_basic"] as const };
    const { server, instance } = await setup(ctx, { client }, { clientId: SPECIAL_ID, auth: { method: "client_secret_basic", clientSecret: SPECIAL_SECRET } });
    await ctx.attempt(() => instance.getToken());
    const b = server.tokenRequests()[0]?.basic;
    if (!b?.ok) return void ctx.check(false, `Basic credential parses (${b ? b.reason : "absent"})`);
    const id = percentDecode(b.rawId);
    const secret = percentDecode(b.rawSecret);
    ctx.check(id === SPECIAL_ID, `client id percent-decodes to ${JSON.stringify(id)}`);
    ctx.check(secret === SPECIAL_SECRET, "secret percent-decodes to the configured secret");
    ctx.evidence(`id sent as '${b.rawId}'`);
  },
} satisfies Scenario;
