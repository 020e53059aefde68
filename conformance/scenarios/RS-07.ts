import type { Scenario } from "../scenario.ts";
import { NO_STORE } from "../fake/reply.ts";
import { RFC6750_HEADER } from "./_basis.ts";
import { control, drain, ecKeyPair, setup } from "./_helpers.ts";

export default {
  id: "RS-07",
  title: "DPoP proof sent but a Bearer token issued: the scheme follows token_type",
  severity: "SHOULD",
  source: "RFC 6750 §2.1; RFC 9449 §5",
  basis: [RFC6750_HEADER],
  requires: { subject: ["dpop", "fetch"] },
  async run(ctx) {
    const dpop = await ecKeyPair();
    await control(ctx, { dpop });
    const { server, instance } = await setup(ctx, {
      token: (_r, s) => ({ json: { access_token: s.issue().value, token_type: "Bearer", expires_in: 300 }, headers: { ...NO_STORE } }),
    }, { dpop });
    const res = await ctx.attempt(() => instance.fetch("/data"));
    if (res.ok) await drain(res.value);
    const token = server.issued[0]?.value ?? "-";
    const bad = server.resourceRequests().filter((r) => r.header("authorization") === `DPoP ${token}` || /^dpop /i.test(r.header("authorization") ?? ""));
    ctx.check(bad.length === 0, `RS got 'DPoP <bearer token>' ${bad.length} time(s)`);
    const ok = server.resourceRequests().every((r) => r.header("authorization") === `Bearer ${token}`);
    ctx.check(ok || !res.ok, `RS got ${server.resourceRequests().map((r) => r.header("authorization")?.split(" ")[0]).join(",") || "nothing"}`);
    ctx.evidence(res.ok ? `Bearer token used as Bearer (RS ${res.value.status})` : `refused by policy (${res.info.kind})`);
  },
} satisfies Scenario;
