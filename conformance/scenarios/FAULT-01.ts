import type { Scenario } from "../types.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "FAULT-01",
  title: "Token endpoint down for a period: a still-valid token keeps serving API calls",
  severity: "ROBUST",
  source: "DESIGN (resilience); RFC 9700 §4 (availability)",
  requires: { subject: ["clock", "fetch"] },
  async run(ctx) {
    let down = false;
    const { server, instance } = await setup(ctx, { token: () => (down ? { status: 503, body: "" } : undefined) });
    let calls = 0;
    let failed = 0;
    const call = async () => {
      calls++;
      const res = await ctx.attempt(() => instance.fetch("/data"));
      if (res.ok) await drain(res.value);
      if (!res.ok || res.value.status !== 200) failed++;
    };
    await call();
    down = true;
    // 4 minutes of outage while the 5-minute token is still valid: one call every 10 s.
    for (let t = 0; t < 240; t += 10) {
      ctx.clock.advance(10_000);
      await call();
    }
    const tokenRequests = server.tokenRequests().length;
    ctx.check(failed === 0, `${failed} of ${calls} API calls failed during the outage`);
    ctx.check(tokenRequests <= 1 + 25 * 3, `${tokenRequests} token requests during the outage`);
    ctx.evidence(`API calls ${calls}, failed ${failed}, token requests ${tokenRequests}`);
  },
} satisfies Scenario;
