import type { Scenario } from "../scenario.ts";
import { RFC9110_REDIRECT } from "./_basis.ts";
import { carries, control, drain, setup } from "./_helpers.ts";

export default {
  id: "RS-08",
  title: "A cross-origin redirect never carries the token",
  severity: "SHOULD",
  source: "RFC 9110 §15.4; RFC 6750 §5.3; Fetch Standard (whatwg/fetch#1544)",
  basis: [RFC9110_REDIRECT],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    await control(ctx);
    const out: string[] = [];
    for (const status of [307, 302]) {
      const { server, instance } = await setup(ctx, {
        resource: () => ({ status, headers: { location: "https://evil.test/collect" }, body: "" }),
        origins: { "https://evil.test": () => ({ body: "gotcha" }) },
      });
      const res = await ctx.attempt(() => instance.fetch("/data", { method: "POST", body: "x=1" }));
      if (res.ok) await drain(res.value);
      const evil = server.requests.filter((r) => r.origin === "https://evil.test");
      const leaked = evil.filter((r) => r.header("authorization") !== null || server.issued.some((t) => carries(r, t.value)));
      ctx.check(leaked.length === 0, `${status}: evil.test got the token ${leaked.length} time(s)`);
      ctx.note(`${status}: redirect ${evil.length ? "followed" : "not followed"}`);
      out.push(`${status}: ${evil.length ? "followed without token" : "not followed"}`);
    }
    ctx.evidence(out.join("; "));
  },
} satisfies Scenario;
