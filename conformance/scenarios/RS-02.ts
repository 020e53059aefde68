import type { Scenario } from "../scenario.ts";
import { RFC6750_HEADER, RFC6750_ONE_METHOD, robust } from "./_basis.ts";
import { drain, setup } from "./_helpers.ts";

// RFC 6750 §2 defines three methods (the Authorization header, the access_token form parameter,
// the access_token query parameter) and forbids more than one per request: that is the RFC MUST.
// A request that carries the token in the body or the query alone uses one method, which §2.2 and
// §2.3 allow under conditions; §2.1's SHOULD prefers the header. A copy in any other header is no
// RFC 6750 method at all: a leak, graded ROBUST.
export default {
  id: "RS-02",
  title: "The token travels by one method only, the Authorization header",
  severity: "MUST",
  severityLabel: "MUST/SHOULD/ROBUST",
  source: "RFC 6750 §2, §2.1; OIDF EnsureBearerAccessTokenNotInParams",
  basis: [
    RFC6750_ONE_METHOD,
    RFC6750_HEADER,
    robust("RFC 6750 §2", "a copy of the token in a header other than Authorization is none of RFC 6750's three methods, so no sentence names it; it shows the token to every proxy and log that records that header"),
  ],
  requires: { subject: ["fetch"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx);
    for (const init of [{}, { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }] as RequestInit[]) {
      const res = await ctx.attempt(() => instance.fetch("/data?x=1", init));
      if (res.ok) await drain(res.value);
    }
    const reqs = server.resourceRequests();
    ctx.check(reqs.length === 2, `${reqs.length} RS requests`);
    for (const r of reqs) {
      const header = r.header("authorization");
      const token = (header ?? "").replace(/^\S+ /, "");
      const methods = [
        ...(header !== null ? ["Authorization header"] : []),
        ...(r.form.get("access_token") !== undefined ? ["access_token in the body"] : []),
        ...(new URLSearchParams(r.query).has("access_token") ? ["access_token in the query"] : []),
      ];
      ctx.check(methods.length <= 1, `${r.method}: ${methods.length} methods (${methods.join(", ") || "none"})`);
      ctx.check(methods.length === 1 && methods[0] === "Authorization header", `${r.method}: the token in the Authorization header only (${methods.join(", ") || "none"})`, "SHOULD");
      const elsewhere = r.headers.filter(([k, v]) => k !== "authorization" && token.length > 8 && v.includes(token)).map(([k]) => k);
      ctx.check(elsewhere.length === 0, `${r.method}: token also in ${elsewhere.join(",") || "no other header"}`, "ROBUST");
    }
    ctx.evidence("GET and POST: token only in Authorization");
  },
} satisfies Scenario;
