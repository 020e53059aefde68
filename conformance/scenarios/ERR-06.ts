import type { Scenario } from "../scenario.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "ERR-06",
  title: "Network failures (refused, reset mid-body, DNS) give a typed network error, bounded retries",
  severity: "ROBUST",
  source: "—",
  basis: [TOKEN_MANAGER],
  async run(ctx) {
    await control(ctx);
    const out: string[] = [];
    const cases = [
      ["refused", { token: () => ({ fault: "network" as const }) }, {}],
      ["reset mid-body", { token: () => ({ stream: { parts: ['{"access_token":"SENTINEL_AT_'], intervalMs: 5, thenReset: true }, headers: { "content-type": "application/json" } }) }, {}],
      ["DNS failure", {}, { tokenEndpoint: "https://unresolvable.invalid/token" }],
    ] as const;
    await Promise.all(cases.map(async ([label, script, env]) => {
      const { server, instance } = await setup(ctx, script, env);
      const got = await ctx.attempt(() => instance.getToken());
      const n = server.tokenRequests().length;
      ctx.check(!got.ok && got.info.kind === "network", `${label}: ${got.ok ? "token?" : got.info.kind}`);
      ctx.check(n <= 4, `${label}: ${n} attempts`);
      out.push(`${label}→${got.ok ? "ok" : got.info.kind} (${n} requests)`);
    }));
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
