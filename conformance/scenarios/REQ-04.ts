import type { Scenario } from "../scenario.ts";
import { RFC6749_ONCE, robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

// The token request parameters RFC 6749 defines (§2.3.1, §3.3, §4.4.2, and the other grants'),
// to which its once-only rule applies (Erratum 5708).
const RFC6749_PARAMETERS: ReadonlySet<string> = new Set(["grant_type", "scope", "client_id", "client_secret", "code", "redirect_uri", "refresh_token", "username", "password"]);

export default {
  id: "REQ-04",
  title: "No token request parameter is repeated; no empty scope",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §3.2",
  basis: [
    RFC6749_ONCE,
    robust(
      "RFC 6749 §3.2; RFC 7521 §4.2",
      "an empty scope= is not forbidden: the server MUST treat a parameter sent without a value as omitted; sending none is cleaner interop. Erratum 5708 limits the once-only rule to RFC 6749's own parameters, so a repeated extension parameter (client_assertion, client_assertion_type) is a robustness miss, not an RFC MUST failure (resource may repeat by RFC 8707)",
    ),
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
      const own = dup.filter((n) => RFC6749_PARAMETERS.has(n));
      ctx.check(own.length === 0, `duplicated RFC 6749 parameters: ${own.join(",") || "none"}`);
      ctx.check(dup.length === own.length, `duplicated extension parameters: ${dup.filter((n) => !own.includes(n)).join(",") || "none"}`, "ROBUST");
      ctx.check(!r.form.empty.includes("scope"), "no empty scope=", "ROBUST");
    }
    // A library that requires a scope got one from the harness in run b: nothing to say about none.
    const noScope = b.server.tokenRequests()[0];
    if (!ctx.has("scope_required")) ctx.check(noScope?.form.get("scope") === undefined, `without configured scope, scope param is ${JSON.stringify(noScope?.form.get("scope"))}`, "ROBUST");
    ctx.check(ra.ok && rb.ok, "tokens obtained");
    ctx.evidence(`${reqs.length} requests, no duplicates; params ${reqs[0]?.form.pairs.map(([k]) => k).join(",")}`);
  },
} satisfies Scenario;
