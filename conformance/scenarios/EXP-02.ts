import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

export default {
  id: "EXP-02",
  title: "A token is refreshed before it expires; the RS never sees an expired token",
  severity: "ROBUST",
  source: "RFC 6749 §5.1; openfga#330; MSAL #2796",
  basis: [robust("RFC 6749 §5.1", "expires_in tells the lifetime; no sentence says when to renew. Renewing before expiry keeps the resource server from seeing expired tokens")],
  requires: { subject: ["clock", "fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, { expiresIn: 6 });
    // Start on a whole second: a library that keeps expiry in whole seconds
    // (int(time.time()) + expires_in) would otherwise renew up to a second early or late by the
    // fraction of a second the scenario happened to start at, and grade differently run to run.
    ctx.clock.advance(1000 - (ctx.clock.now() % 1000));
    const t0 = ctx.clock.now();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await ctx.attempt(() => instance.fetch("/data"));
      statuses.push(res.ok ? res.value.status : 0);
      if (res.ok) await drain(res.value);
      ctx.clock.advance(500);
    }
    const rejected = server.resourceRequests().filter((r) => {
      const v = (r.header("authorization") ?? "").split(" ")[1] ?? "";
      const t = server.find(v);
      return t?.expiresAt !== undefined && r.time >= t.expiresAt;
    });
    const second = server.tokenRequests()[1];
    ctx.check(rejected.length === 0, `RS saw an expired token ${rejected.length} time(s)`);
    ctx.check(second !== undefined && second.time - t0 < 6000, `second token request at ${second ? ((second.time - t0) / 1000).toFixed(1) + " s" : "never"} (token lives 6 s)`);
    ctx.check(statuses.every((s) => s === 200), `RS statuses: ${[...new Set(statuses)].join(",")}`);
    ctx.evidence(`${server.tokenRequests().length} token requests over 20 s (6 s tokens); refresh at ${second ? ((second.time - t0) / 1000).toFixed(1) : "-"} s`);
  },
} satisfies Scenario;
