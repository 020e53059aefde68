import type { Scenario, ScenarioContext } from "../scenario.ts";
import { RFC6749_NOT_IN_URI, RFC6749_POST_PARAMS, RFC6749_VSCHAR, robust } from "./_basis.ts";
import { NON_VSCHAR_SECRET, setup, SPECIAL_ID, SPECIAL_SECRET } from "./_helpers.ts";

async function postRun(ctx: ScenarioContext, secret: string, label: string, tier: "MUST" | "ROBUST"): Promise<void> {
  const client = { id: SPECIAL_ID, secret, methods: ["client_secret_post"] as const };
  const made = await ctx.attempt(() => setup(ctx, { client }, { clientId: SPECIAL_ID, auth: { method: "client_secret_post", clientSecret: secret } }));
  if (!made.ok) return void ctx.check(false, `${label}: the configuration is refused (${made.info.kind}: ${made.info.message.split("\n")[0]})`, tier);
  const { server, instance } = made.value;
  const got = await ctx.attempt(() => instance.getToken());
  const r = server.tokenRequests()[0];
  if (!r) return void ctx.check(false, `${label}: a token request was sent${got.ok ? "" : ` (${got.info.kind}: ${got.info.message})`}`, tier);
  ctx.check(r.form.get("client_id") === SPECIAL_ID, `${label}: client_id decodes to ${JSON.stringify(r.form.get("client_id"))}`, tier);
  ctx.check(r.form.get("client_secret") === secret, `${label}: client_secret decodes to the configured secret`, tier);
  ctx.check(r.form.ascii, `${label}: body is ASCII (non-ASCII percent-encoded as UTF-8)`, tier);
  ctx.check(r.header("authorization") === null, `${label}: no Authorization header`, tier);
  ctx.check(got.ok, `${label}: token obtained`, tier);
}

export default {
  id: "AUTH-04",
  title: "client_secret_post puts form-encoded credentials in the body only",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §2.3.1, Appendix A.1, A.2",
  basis: [
    RFC6749_POST_PARAMS,
    RFC6749_NOT_IN_URI,
    RFC6749_VSCHAR,
    robust("RFC 6749 Appendix A.2", "a secret outside VSCHAR (here é and €) is not a valid client-secret, so no RFC requires a client to carry it"),
  ],
  requires: { subject: ["client_secret_post"] },
  async run(ctx) {
    await postRun(ctx, SPECIAL_SECRET, "VSCHAR secret", "MUST");
    await postRun(ctx, NON_VSCHAR_SECRET, "non-VSCHAR secret (é€)", "ROBUST");
    ctx.evidence("client_id/client_secret in body decode exactly (VSCHAR and non-VSCHAR); no Authorization header");
  },
} satisfies Scenario;
