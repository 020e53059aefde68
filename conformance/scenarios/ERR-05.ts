import type { Scenario } from "../scenario.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

// Single flight under errors: the shared request of 10 concurrent callers is answered 429 with
// Retry-After: 1. The callers share that one answer and its backoff (no herd of 10 requests). How a
// single caller honours Retry-After is ERR-09.
export default {
  id: "ERR-05",
  title: "429 with concurrent callers: they share one request and one backoff (no herd)",
  severity: "ROBUST",
  source: "RFC 6585 §4; RFC 9110 §10.2.3",
  basis: [TOKEN_MANAGER],
  async run(ctx) {
    await control(ctx);
    let limited = true;
    const { server, instance } = await setup(ctx, {
      token: () => {
        if (!limited) return undefined;
        limited = false;
        return { status: 429, headers: { "retry-after": "1" }, json: { error: "slow_down" } };
      },
    });
    const all = await Promise.all(Array.from({ length: 10 }, () => ctx.attempt(() => instance.getToken())));
    const n = server.tokenRequests().length;
    const outcomes = new Set(all.map((a) => (a.ok ? "token" : `${a.info.kind}:${a.info.status}`)));
    ctx.check(n <= 3, `${n} token requests for 10 concurrent callers`);
    ctx.check(outcomes.size === 1, `the 10 callers saw ${outcomes.size} different outcomes (${[...outcomes].join(", ")})`);
    ctx.evidence(`${n} token requests for 10 concurrent callers; every caller: ${[...outcomes].join(", ")}`);
  },
} satisfies Scenario;
