import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

// One caller; the first token request is answered 429 with Retry-After (seconds, and an
// HTTP-date). Whether the library waits and retries by itself or fails the call, no token request
// may come before Retry-After has elapsed: the caller asks again 500 ms after a failure.
export default {
  id: "ERR-09",
  title: "429 Retry-After with a single caller: no token request before it has elapsed (seconds and HTTP-date)",
  severity: "ROBUST",
  source: "RFC 6585 §4; RFC 9110 §10.2.3",
  basis: [robust("RFC 9110 §10.2.3", 'Retry-After says "how long the user agent ought to wait before making a follow-up request": a request sooner is refused anyway and adds load, but no SHOULD binds the client')],
  async run(ctx) {
    await control(ctx);
    const out: string[] = [];
    await Promise.all(
      (["seconds", "http-date"] as const).map(async (form) => {
        let until = 0;
        let limited = true;
        const { server, instance } = await setup(ctx, {
          token: (req) => {
            if (!limited) return undefined;
            limited = false;
            // An HTTP-date has 1 s resolution: 3.999 s ahead means at least 3 s.
            until = req.realTime + (form === "seconds" ? 2000 : 3000);
            const value = form === "seconds" ? "2" : new Date(req.realTime + 3999).toUTCString();
            return { status: 429, headers: { "retry-after": value }, json: { error: "slow_down" } };
          },
        });
        const first = await ctx.attempt(() => instance.getToken());
        let second: typeof first | undefined;
        if (!first.ok) {
          await new Promise((r) => setTimeout(r, 500));
          second = await ctx.attempt(() => instance.getToken());
        }
        const reqs = server.tokenRequests();
        const early = reqs.slice(1).filter((r) => r.realTime < until - 100);
        ctx.check(early.length === 0, `${form}: ${early.length} token request(s) before Retry-After elapsed (${reqs.length} in all)`);
        out.push(`${form}: ${reqs.length} requests, none early; ${first.ok ? "served after waiting" : `call failed (${first.info.kind})${second ? `, next call ${second.ok ? "served" : second.info.kind}` : ""}`}`);
      }),
    );
    ctx.evidence(out.join("; "));
  },
} satisfies Scenario;
