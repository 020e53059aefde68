import type { Scenario } from "../scenario.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "EXP-01",
  title: "A valid token is reused: 20 calls over 10 s cause one token request",
  severity: "ROBUST",
  source: "product requirement (caching)",
  basis: [TOKEN_MANAGER],
  requires: { subject: ["clock"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx);
    for (let i = 0; i < 20; i++) {
      await ctx.attempt(() => instance.getToken());
      ctx.clock.advance(500);
    }
    const n = server.tokenRequests().length;
    ctx.check(n === 1, `${n} token requests for 20 calls`);
    ctx.evidence(`${n} token request for 20 calls over 10 s`);
  },
} satisfies Scenario;
