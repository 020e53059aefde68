import type { Scenario } from "../scenario.ts";
import { TOKEN_MANAGER } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "ERR-07",
  title: "The token request deadline covers headers and body",
  severity: "ROBUST",
  source: "RFC 9700 §4 (availability); DESIGN (default timeout)",
  basis: [TOKEN_MANAGER],
  requires: { subject: ["timeout"] },
  async run(ctx) {
    await control(ctx, { timeoutMs: 300 });
    const out: string[] = [];
    await Promise.all((["headers never come", "body trickles forever"] as const).map(async (label) => {
      const { instance } = await setup(ctx, {
        token: () => (label === "headers never come" ? { hang: true } : { stream: { parts: ['{"access_token":'], intervalMs: 20, forever: true }, headers: { "content-type": "application/json" } }),
      }, { timeoutMs: 300 });
      const started = Date.now();
      const got = await Promise.race([
        ctx.attempt(() => instance.getToken()),
        new Promise<"stuck">((r) => setTimeout(() => r("stuck"), 4000)),
      ]);
      const ms = Date.now() - started;
      if (got === "stuck") return ctx.check(false, `${label}: still waiting after 4 s (timeoutMs 300)`);
      ctx.check(!got.ok && got.info.kind === "timeout", `${label}: ${got.ok ? "token?" : got.info.kind} after ${ms} ms`);
      out.push(`${label}→${got.ok ? "ok" : got.info.kind} in ${ms} ms`);
      return true;
    }));
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
