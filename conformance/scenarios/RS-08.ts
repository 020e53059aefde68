import type { Scenario } from "../scenario.ts";
import { RFC6750_SAFEGUARD } from "./_basis.ts";
import { carries, control, drain, setup } from "./_helpers.ts";

export default {
  id: "RS-08",
  title: "A cross-origin redirect never carries the token",
  // The resource server names the Location, the client's HTTP stack follows it: a token that
  // reaches another origin that way went to a party nobody chose, which §5.3's MUST forbids (RFC
  // 9110 §15.4 says the same for Authorization as a SHOULD of any user agent).
  severity: "MUST",
  source: "RFC 6750 §5.3; RFC 9110 §15.4; Fetch Standard (whatwg/fetch#1544)",
  basis: [RFC6750_SAFEGUARD],
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
