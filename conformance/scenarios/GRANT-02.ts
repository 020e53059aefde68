import type { Scenario } from "../scenario.ts";
import { RFC6749_SCOPE } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "GRANT-02",
  title: "Scope is one space-separated scope parameter",
  severity: "MUST",
  source: "RFC 6749 §3.3, Appendix A.4",
  basis: [RFC6749_SCOPE, { tier: "MUST", source: "RFC 6749 Appendix A.4", text: "scope = scope-token *( SP scope-token ) scope-token = 1*NQCHAR" }],
  requires: { subject: ["scope"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, {}, { scope: ["b", "a", "c:x"] });
    const got = await ctx.attempt(() => instance.getToken());
    const r = server.tokenRequests()[0];
    if (!r) return void ctx.check(false, "a token request was sent");
    const values = r.form.all("scope");
    const names = r.form.pairs.map(([k]) => k).filter((k) => k.startsWith("scope"));
    ctx.check(values.length === 1 && names.length === 1, `scope parameters: ${names.join(",")}`);
    const v = values[0] ?? "";
    ctx.check(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(v) && !v.includes(","), `scope value '${v}' is space-separated scope-tokens`);
    ctx.check([...v.split(" ")].sort().join(" ") === "a b c:x", `scope set {${v.split(" ").join(",")}} is {a,b,c:x}`);
    ctx.check(got.ok, "token obtained");
    ctx.evidence(`1 token request; scope='${v}'`);
  },
} satisfies Scenario;
