import type { Scenario } from "../types.ts";
import { STRICT_BEARER } from "../fake/parse.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "RS-01",
  title: "Authorization: Bearer <token>, canonical scheme, one space, token verbatim",
  severity: "MUST",
  source: "RFC 6750 §2.1",
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx);
    const res = await ctx.attempt(() => instance.fetch("/data"));
    if (res.ok) await drain(res.value);
    const rs = server.resourceRequests()[0];
    const header = rs?.header("authorization") ?? "";
    const token = server.issued[0]?.value ?? "-";
    ctx.check(STRICT_BEARER.test(header), `header matches ^Bearer b64token$: ${header ? "yes" : "no header"}`);
    ctx.check(header === `Bearer ${token}`, "token sent verbatim (with + / ~ . - =)");
    ctx.check(res.ok && res.value.status === 200, `RS status ${res.ok ? res.value.status : res.info.kind}`);
    ctx.evidence("Authorization: Bearer <token> exactly; RS 200");
  },
} satisfies Scenario;
