import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "ERR-04",
  title: "5xx: bounded retries with backoff honouring Retry-After, then an error with the status",
  severity: "ROBUST",
  source: "RFC 9110 §10.2.3",
  basis: [robust("RFC 9110 §10.2.3", 'Retry-After says "how long the user agent ought to wait before making a follow-up request": no SHOULD binds the client, and no RFC asks for retries at all')],
  async run(ctx) {
    await control(ctx);
    const [a, b] = await Promise.all([
      (async () => {
        let n = 0;
        const { server, instance } = await setup(ctx, { token: () => (n++ < 2 ? { status: 503, headers: { "retry-after": "2" }, body: "" } : undefined) });
        const got = await ctx.attempt(() => instance.getToken());
        const times = server.tokenRequests().map((r) => r.realTime);
        return { got, times };
      })(),
      (async () => {
        const { server, instance } = await setup(ctx, { token: () => ({ status: 500, body: "" }) });
        const got = await ctx.attempt(() => instance.getToken());
        return { got, n: server.tokenRequests().length };
      })(),
    ]);
    const gaps = a.times.slice(1).map((t, i) => t - a.times[i]!);
    ctx.check(a.got.ok, `503 ×2 then 200: ${a.got.ok ? "token obtained" : a.got.info.kind} after ${a.times.length} requests`);
    ctx.check(gaps.every((g) => g >= 1900), `gaps honour Retry-After 2: ${gaps.map((g) => (g / 1000).toFixed(1)).join(", ")} s`);
    ctx.check(b.n >= 2 && b.n <= 4, `500 forever: ${b.n} requests (bounded retries)`);
    ctx.check(!b.got.ok && b.got.info.status === 500, `500 forever: ${b.got.ok ? "token?" : `${b.got.info.kind} status ${b.got.info.status}`}`);
    ctx.evidence(`503×2: ${a.times.length} requests, gaps ${gaps.map((g) => (g / 1000).toFixed(1)).join("/")} s; 500: ${b.n} requests then error`);
  },
} satisfies Scenario;
