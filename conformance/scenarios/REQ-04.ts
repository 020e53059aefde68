import type { Scenario } from "../scenario.ts";
import { RFC6749_ONCE, robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "REQ-04",
  title: "No token request parameter is repeated; no empty scope",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §3.2",
  basis: [
    RFC6749_ONCE,
    robust("RFC 6749 §3.2", "an empty scope= is not forbidden: the server MUST treat a parameter sent without a value as omitted; sending none is cleaner interop"),
  ],
  requires: { subject: ["scope"] },
  async run(ctx) {
    const a = await setup(ctx, { strict: true }, { scope: ["a", "b"] });
    const b = await setup(ctx, { strict: true });
    const ra = await ctx.attempt(() => a.instance.getToken());
    const rb = await ctx.attempt(() => b.instance.getToken());
    const reqs = [...a.server.tokenRequests(), ...b.server.tokenRequests()];
    ctx.check(reqs.length >= 2, `token requests: ${reqs.length}`);
    for (const r of reqs) {
      const dup = r.form.duplicates.filter((n) => n !== "resource");
      ctx.check(dup.length === 0, `duplicated parameters: ${dup.join(",") || "none"}`);
      ctx.check(!r.form.empty.includes("scope"), "no empty scope=", "ROBUST");
    }
    // A library that requires a scope got one from the harness in run b: nothing to say about none.
    const noScope = b.server.tokenRequests()[0];
    if (!ctx.has("scope_required")) ctx.check(noScope?.form.get("scope") === undefined, `without configured scope, scope param is ${JSON.stringify(noScope?.form.get("scope"))}`, "ROBUST");
    ctx.check(ra.ok && rb.ok, "tokens obtained");
    ctx.evidence(`${reqs.length} requests, no duplicates; params ${reqs[0]?.form.pairs.map(([k]) => k).join(",")}`);
  },
} satisfies Scenario;
