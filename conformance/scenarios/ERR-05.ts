import type { Scenario } from "../types.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "ERR-05",
  title: "429 Retry-After: no request before it; concurrent callers share the wait",
  severity: "SHOULD",
  source: "RFC 6585 §4; RFC 9110 §10.2.3",
  async run(ctx) {
    const out: string[] = [];
    await Promise.all(
      (["seconds", "http-date"] as const).map(async (form) => {
        let limited = true;
        let until = 0;
        const { server, instance } = await setup(ctx, {
          token: () => {
            if (!limited) return undefined;
            limited = false;
            until = Date.now() + 3000;
            const value = form === "seconds" ? "3" : new Date(Date.now() + 3999).toUTCString();
            return { status: 429, headers: { "retry-after": value }, json: { error: "slow_down" } };
          },
        });
        const all = await Promise.all(Array.from({ length: 10 }, () => ctx.attempt(() => instance.getToken())));
        const reqs = server.tokenRequests();
        const early = reqs.slice(1).filter((r) => r.realTime < until - 100);
        ctx.check(early.length === 0, `${form}: ${early.length} request(s) before Retry-After elapsed`);
        ctx.check(reqs.length <= 3, `${form}: ${reqs.length} token requests for 10 concurrent callers`);
        out.push(`${form}: ${reqs.length} requests, ${all.filter((a) => a.ok).length}/10 got a token`);
      }),
    );
    ctx.evidence(out.join("; "));
  },
} satisfies Scenario;
