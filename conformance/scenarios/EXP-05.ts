import type { Scenario } from "../scenario.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "EXP-05",
  title: "expires_in 0: the token is used once, not cached, without a tight loop",
  severity: "ROBUST",
  source: "oauth4webapi accepts 0 (#182)",
  basis: [TOKEN_MANAGER],
  requires: { subject: ["clock"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, { expiresIn: 0 });
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) {
      const got = await ctx.attempt(() => instance.getToken());
      if (got.ok) tokens.push(got.value.accessToken);
      ctx.clock.advance(1000);
    }
    const n = server.tokenRequests().length;
    ctx.check(tokens.length >= 1, `calls that got a token: ${tokens.length}/10`);
    ctx.check(new Set(tokens).size === tokens.length, `tokens reused across calls: ${tokens.length - new Set(tokens).size}`);
    ctx.check(n <= 10, `${n} token requests for 10 calls (no loop)`);
    ctx.evidence(`${n} token requests for 10 calls, ${tokens.length} tokens served, none reused`);
  },
} satisfies Scenario;
