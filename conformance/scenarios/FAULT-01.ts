import type { Scenario } from "../scenario.ts";
import { callCounter, setup } from "./_helpers.ts";
import { TOKEN_MANAGER } from "./_basis.ts";

// The token endpoint answers 503 from 10 s into a 5-minute token's life until 20 s before it
// expires (through the soft and into the hard refresh window, where callers wait for a refresh
// and see it fail), then comes back. API calls go on every 10 s (fake clock) until 30 s past the
// first token's expiry: the still-valid token serves through the outage, and a new one is fetched
// once the endpoint is back.
export default {
  id: "FAULT-01",
  title: "Token endpoint down for a period: a still-valid token keeps serving API calls",
  severity: "ROBUST",
  basis: [TOKEN_MANAGER],
  source: "DESIGN (resilience); RFC 9700 §4 (availability)",
  requires: { subject: ["clock", "fetch"] },
  async run(ctx) {
    let down = false;
    const { server, instance } = await setup(ctx, { expiresIn: 300, token: () => (down ? { status: 503, body: "" } : undefined) });
    const api = callCounter(ctx);
    await api.call(instance);
    down = true;
    for (let t = 10; t <= 270; t += 10) {
      ctx.clock.advance(10_000);
      await api.call(instance);
    }
    const duringOutage = { failed: api.failed, tokenRequests: server.tokenRequests().length };
    down = false;
    for (let t = 280; t <= 330; t += 10) {
      ctx.clock.advance(10_000);
      await api.call(instance);
    }
    const tokenRequests = server.tokenRequests().length;
    ctx.metrics({ apiCalls: api.calls, failedCalls: api.failed, tokenRequests });
    ctx.check(duringOutage.failed === 0, `${duringOutage.failed} of 28 API calls failed during the outage (${api.describeFailures()})`);
    ctx.check(duringOutage.tokenRequests <= 1 + 28 * 3, `${duringOutage.tokenRequests} token requests during the outage`);
    ctx.check(api.failed === duringOutage.failed, `${api.failed - duringOutage.failed} of 6 API calls failed after the endpoint came back (${api.describeFailures()})`);
    ctx.evidence(`4.5-min outage: ${duringOutage.tokenRequests} token requests, every call served; back: ${tokenRequests - duringOutage.tokenRequests} more, calls past the first token's expiry served`);
  },
} satisfies Scenario;
