import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

/** What Authlib and other servers do with a Basic credential part: percent-decoding, no `+` rule. */
function percentDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

// A space has no place here: "+" for a space is correct form encoding (RFC 6749 Appendix B), so
// a secret with a space would penalise the RFC's own spelling. Without spaces, form encoding and
// percent encoding agree, and a client that leaves "%" or "+" unencoded is caught.
const ID = "urn:acme:svc+1%x";
const SECRET = "p@ss:w+rd%25/=&~";

export default {
  id: "AUTH-10",
  title: "client_secret_basic credentials without spaces decode the same with a form decoder and a plain percent decoder",
  severity: "ROBUST",
  source: "RFC 6749 §2.3.1 + Appendix B; interop with percent-decoding servers (Authlib)",
  basis: [robust("RFC 6749 Appendix B", "interop: servers that percent-decode Basic credentials (no '+' rule) read what a form-encoding client sends, spaces aside; '+' for a space is not penalised")],
  requires: { subject: ["client_secret_basic"] },
  async run(ctx) {
    const client = { id: ID, secret: SECRET, methods: ["client_secret_basic"] as const };
    const { server, instance } = await setup(ctx, { client }, { clientId: ID, auth: { method: "client_secret_basic", clientSecret: SECRET } });
    await ctx.attempt(() => instance.getToken());
    const b = server.tokenRequests()[0]?.basic;
    if (!b?.ok) return void ctx.check(false, `Basic credential parses (${b ? b.reason : "absent"})`);
    const id = percentDecode(b.rawId);
    const secret = percentDecode(b.rawSecret);
    ctx.check(id === ID, `client id percent-decodes to ${JSON.stringify(id)}`);
    ctx.check(secret === SECRET, "secret percent-decodes to the configured secret");
    ctx.evidence(`id sent as '${b.rawId}'`);
  },
} satisfies Scenario;
