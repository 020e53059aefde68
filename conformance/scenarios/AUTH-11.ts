import type { Scenario } from "../scenario.ts";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { RFC7523_CLAIMS } from "./_basis.ts";

export default {
  id: "AUTH-11",
  title: "client_secret_jwt: an HMAC assertion with RFC 7523 claims, the secret itself never sent",
  severity: "MUST",
  severityLabel: "MUST/SHOULD",
  source: "RFC 7521 §4.2; RFC 7523 §2.2, §3; OIDC Core §9",
  basis: [
    RFC7523_CLAIMS,
    { tier: "SHOULD", source: "draft-ietf-oauth-rfc7523bis; OIDC Core §9 (not RFCs: graded SHOULD)", text: "paraphrased, no RFC text yet: the audience is the issuer identifier as a single string; the assertion lives at most a few minutes; a jti is present" },
  ],
  requires: { subject: ["client_secret_jwt"] },
  async run(ctx) {
    const secret = "7Fjfp0ZBr1KtDRbnfVdmIw-hmac-0123456789";
    const client = { id: "s6BhdRkqt3", secret, methods: ["client_secret_jwt"] as const };
    // With discovery the client knows the issuer, which the practice wants as aud; without it, the
    // token endpoint URL (RFC 7523 §3 allows it) is all it can name.
    const server = ctx.server({ client });
    const discovery = ctx.has("discovery");
    const env = ctx.env(server, { auth: { method: "client_secret_jwt", clientSecret: secret }, ...(discovery ? { issuer: server.issuer } : {}) });
    if (discovery) delete env.tokenEndpoint;
    const instance = await ctx.create(env);
    const got = await ctx.attempt(() => instance.getToken());
    const r = server.tokenRequests()[0];
    if (!r) return void ctx.check(false, `a token request was sent${got.ok ? "" : ` (${got.info.kind}: ${got.info.message})`}`);
    ctx.check(r.form.all("client_assertion_type").join() === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion_type is the jwt-bearer URN");
    ctx.check(r.form.all("client_assertion").length === 1, `client_assertion count ${r.form.all("client_assertion").length}`);
    ctx.check(r.problems.length === 0, `RFC 7523 §3 claims and MAC: ${r.problems.join("; ") || "valid"}`);
    ctx.check(!r.text.includes(encodeURIComponent(secret)) && !r.text.includes(secret) && r.header("authorization") === null, "the secret itself is not sent (body or Authorization)");
    const advisories = discovery ? r.advisories : r.advisories.filter((a) => !a.startsWith("aud "));
    ctx.check(advisories.length === 0, `practice (aud = issuer string, ≤ 5 min, jti): ${advisories.join("; ") || "followed"}`, "SHOULD");
    ctx.check(got.ok, "token obtained");
    let alg = "?";
    let aud = "?";
    try {
      alg = String(decodeProtectedHeader(r.form.get("client_assertion") ?? "").alg);
      aud = JSON.stringify(decodeJwt(r.form.get("client_assertion") ?? "").aud);
    } catch { /* reported above */ }
    ctx.evidence(`${alg} assertion, aud ${aud}; claims valid; secret not sent`);
  },
} satisfies Scenario;
