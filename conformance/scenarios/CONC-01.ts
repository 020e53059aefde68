import type { Scenario } from "../scenario.ts";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "CONC-01",
  title: "100 concurrent callers share one token request (cold, and at expiry)",
  severity: "ROBUST",
  source: "openfga#332, gtoken#350, AthenZ#3329",
  basis: [TOKEN_MANAGER],
  requires: { subject: ["clock"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, { token: (req, s) => s.defaultToken(req).then((r) => ({ ...r, delayMs: 500 })) });
    const round = async () => {
      const all = await Promise.all(Array.from({ length: 100 }, () => ctx.attempt(() => instance.getToken())));
      return new Set(all.map((a) => (a.ok ? a.value.accessToken : "error"))).size;
    };
    const distinct1 = await round();
    const n1 = server.tokenRequests().length;
    ctx.clock.advance((TOKEN_LIFETIME_S + 1) * 1000);
    const distinct2 = await round();
    const n2 = server.tokenRequests().length - n1;
    ctx.check(n1 === 1, `cold: ${n1} token requests for 100 callers`);
    ctx.check(distinct1 === 1, `cold: callers got ${distinct1} distinct results`);
    ctx.check(n2 === 1, `at expiry: ${n2} token requests for 100 callers`);
    ctx.check(distinct2 === 1, `at expiry: callers got ${distinct2} distinct results`);
    ctx.evidence(`${n1} + ${n2} token requests for 2 × 100 concurrent callers`);
  },
} satisfies Scenario;
