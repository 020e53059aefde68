import type { Scenario, ScenarioContext } from "../scenario.ts";
import { RFC6749_BASIC_ENCODING, RFC6749_VSCHAR, robust } from "./_basis.ts";
import { NON_VSCHAR_SECRET, setup, SPECIAL_ID, SPECIAL_SECRET } from "./_helpers.ts";

/** One client_secret_basic run: the Basic credential must decode to `secret` exactly. */
async function basicRun(ctx: ScenarioContext, secret: string, label: string, tier: "MUST" | "ROBUST"): Promise<string> {
  const client = { id: SPECIAL_ID, secret, methods: ["client_secret_basic"] as const };
  const made = await ctx.attempt(() => setup(ctx, { client }, { clientId: SPECIAL_ID, auth: { method: "client_secret_basic", clientSecret: secret } }));
  if (!made.ok) {
    ctx.check(false, `${label}: the configuration is refused (${made.info.kind}: ${made.info.message.split("\n")[0]})`, tier);
    return `${label}: refused`;
  }
  const { server, instance } = made.value;
  const got = await ctx.attempt(() => instance.getToken());
  const b = server.tokenRequests()[0]?.basic;
  if (!b?.ok) {
    ctx.check(false, `${label}: Basic credential parses (${b ? b.reason : got.ok ? "absent" : `absent: ${got.info.kind}: ${got.info.message}`})`, tier);
    return `${label}: no credential`;
  }
  ctx.check(b.clientId === SPECIAL_ID, `${label}: client id decodes to ${JSON.stringify(b.clientId)}`, tier);
  ctx.check(b.clientSecret === secret, `${label}: secret decodes to the configured secret`, tier);
  ctx.check(got.ok, `${label}: token obtained${got.ok ? "" : ` (${got.info.kind})`}`, tier);
  const canonical = (v: string) => new URLSearchParams([["", v]]).toString().slice(1);
  ctx.note(`interop: id encoded as '${b.rawId}' (${b.rawId === canonical(SPECIAL_ID) ? "canonical" : "non-canonical"})`);
  return `${label}: id sent as '${b.rawId}', both parts decode exactly`;
}

// The RFC MUST covers what RFC 6749 lets a client id and secret contain (VSCHAR, %x20-7E); a
// non-ASCII secret is outside it, so handling one is ROBUST.
export default {
  id: "AUTH-02",
  title: "client_secret_basic form-encodes id and secret before base64",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §2.3.1, Appendix A.1, A.2, Appendix B; RFC 7617 §2",
  basis: [
    RFC6749_BASIC_ENCODING,
    RFC6749_VSCHAR,
    robust("RFC 6749 Appendix A.2", "a secret outside VSCHAR (here é and €) is not a valid client-secret, so no RFC requires a client to carry it; UTF-8 then form-encoding it is what servers expect"),
  ],
  requires: { subject: ["client_secret_basic"] },
  async run(ctx) {
    const vschar = await basicRun(ctx, SPECIAL_SECRET, "VSCHAR secret", "MUST");
    const other = await basicRun(ctx, NON_VSCHAR_SECRET, "non-VSCHAR secret (é€)", "ROBUST");
    ctx.evidence(`${vschar}; ${other}`);
  },
} satisfies Scenario;
