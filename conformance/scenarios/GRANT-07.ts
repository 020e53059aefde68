import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control } from "./_helpers.ts";

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), scopes separated by one space.
const GOOD = ["c:x", "https://rs.test/read", "!#$%&'()*+,-./"];
const BAD: [string, string[]][] = [
  ["a space inside a token", ["read write"]],
  ["a double quote", ['say"hi']],
  ["a backslash", ["a\\b"]],
  ["non-ASCII", ["lecture.é"]],
  ["an empty token", [""]],
];

export default {
  id: "GRANT-07",
  title: "Scope tokens outside RFC 6749 §3.3 syntax are refused before sending; valid odd ones go verbatim",
  severity: "ROBUST",
  source: "RFC 6749 §3.3, Appendix A.4",
  basis: [robust("RFC 6749 §3.3", "scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) defines a valid request; no sentence makes the client check its caller's scopes, but one that sends 'read write' as one token asks for two scopes")],
  requires: { subject: ["scope"] },
  async run(ctx) {
    await control(ctx, { scope: GOOD });
    const sent = ctx.server();
    const good = await ctx.attempt(async () => (await ctx.create(ctx.env(sent, { scope: GOOD }))).getToken());
    const value = sent.tokenRequests()[0]?.form.get("scope") ?? "";
    ctx.check(good.ok && value.split(" ").sort().join(" ") === [...GOOD].sort().join(" "), `valid tokens ${JSON.stringify(GOOD)} sent as '${value}'`);
    const out: string[] = [];
    for (const [label, scope] of BAD) {
      const server = ctx.server();
      const got = await ctx.attempt(async () => (await ctx.create(ctx.env(server, { scope }))).getToken());
      const n = server.tokenRequests().length;
      ctx.check(!got.ok && n === 0, `${label} ${JSON.stringify(scope[0])}: ${got.ok ? "token obtained" : `refused (${got.info.kind})`}, ${n} request(s) sent`);
      out.push(`${label}: ${n ? "sent" : "refused"}`);
    }
    ctx.evidence(`valid odd tokens sent verbatim; ${out.join(", ")}`);
  },
} satisfies Scenario;
