import type { Scenario } from "../scenario.ts";
import { STRICT_BEARER } from "../fake/parse.ts";
import { RFC6750_HEADER, robust } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "RS-01",
  title: "Authorization: Bearer <token>, canonical scheme, one space, token verbatim",
  severity: "SHOULD",
  severityLabel: "SHOULD/ROBUST",
  source: "RFC 6750 §2.1",
  basis: [
    RFC6750_HEADER,
    robust("RFC 6750 §2.1; RFC 9110 §11.1", 'the scheme is case-insensitive (RFC 9110 §11.1, and ABNF strings per RFC 5234), so "bearer" breaks no RFC; the canonical "Bearer" with one space is interop with strict resource servers'),
  ],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx);
    const res = await ctx.attempt(() => instance.fetch("/data"));
    if (res.ok) await drain(res.value);
    const rs = server.resourceRequests()[0];
    const header = rs?.header("authorization") ?? "";
    const token = server.issued[0]?.value ?? "-";
    ctx.check(/^bearer /i.test(header) && header.slice(7) === token, `token sent verbatim in Authorization with the Bearer scheme: ${header ? "yes" : "no header"}`, "SHOULD");
    ctx.check(STRICT_BEARER.test(header), `header matches ^Bearer b64token$ (canonical scheme, one space): ${header ? header.split(" ")[0] : "no header"}`, "ROBUST");
    ctx.check(res.ok && res.value.status === 200, `RS status ${res.ok ? res.value.status : res.info.kind}`, "SHOULD");
    ctx.evidence("Authorization: Bearer <token> exactly; RS 200");
  },
} satisfies Scenario;
