import type { Scenario } from "../scenario.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "CONC-02",
  title: "A failed shared request rejects every waiter and poisons nothing",
  severity: "ROBUST",
  source: "NangoHQ/nango#5090",
  basis: [TOKEN_MANAGER],
  requires: { subject: ["clock"] },
  async run(ctx) {
    await control(ctx);
    let failing = true;
    const { server, instance } = await setup(ctx, { token: () => (failing ? { status: 503, body: "", delayMs: 100 } : undefined) });
    const all = await Promise.all(Array.from({ length: 20 }, () => ctx.attempt(() => instance.getToken())));
    const outcomes = new Set(all.map((a) => (a.ok ? "ok" : `${a.info.kind}:${a.info.status}`)));
    ctx.check(all.every((a) => !a.ok), `waiters rejected: ${all.filter((a) => !a.ok).length}/20`);
    ctx.check(outcomes.size === 1, `waiters saw ${outcomes.size} different outcomes (${[...outcomes].join(", ")})`);
    failing = false;
    ctx.clock.advance(61_000);
    const before = server.tokenRequests().length;
    const next = await ctx.attempt(() => instance.getToken());
    ctx.check(next.ok && server.tokenRequests().length > before, `next call: ${next.ok ? "new request, token" : next.info.kind}`);
    ctx.evidence(`20 waiters rejected with ${[...outcomes].join(",")}; recovery ${next.ok ? "ok" : "failed"}`);
  },
} satisfies Scenario;
