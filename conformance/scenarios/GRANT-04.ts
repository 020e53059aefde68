import type { Scenario } from "../scenario.ts";
import { NO_STORE } from "../fake/reply.ts";
import type { Handler } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { carries } from "./_helpers.ts";

// Issues a token per request whatever the client, remembering scope and resource.
const anyClient: Handler = (req, s) => {
  const t = s.issue({ scope: req.form.get("scope"), resource: req.form.all("resource") });
  return { json: { access_token: t.value, token_type: "Bearer", expires_in: 300 }, headers: { ...NO_STORE } };
};

export default {
  id: "GRANT-04",
  title: "Tokens for different scopes, resources or clients never share a cache entry",
  severity: "ROBUST",
  source: "RFC 9700 §2.3; RFC 6750 §5.1, §5.3",
  basis: [robust("RFC 9700 §2.3; RFC 6750 §5.3", "no RFC sentence speaks of a client's token cache; serving one key's token for another hands a resource server a token meant for someone else, the leak RFC 6750 §5.3 warns of")],
  requires: { subject: ["scope", "resource", "fetch"] },
  async run(ctx) {
    const server = ctx.server({ token: anyClient });
    const one = await ctx.create(ctx.env(server));
    const ta = await ctx.attempt(() => one.getToken({ scope: ["a"] }));
    const tb = await ctx.attempt(() => one.getToken({ scope: ["b"] }));
    if (ta.ok && tb.ok) ctx.check(ta.value.accessToken !== tb.value.accessToken, "scope a and scope b got different tokens");
    else ctx.check(false, "tokens for scope a and b obtained");
    const r1 = await ctx.attempt(() => one.getToken({ resource: ["https://rs1.test/"] }));
    const r2 = await ctx.attempt(() => one.getToken({ resource: ["https://rs2.test/"] }));
    if (r1.ok && r2.ok) ctx.check(r1.value.accessToken !== r2.value.accessToken, "resource rs1 and rs2 got different tokens");
    else ctx.check(false, "tokens for rs1 and rs2 obtained");
    const other = await ctx.create(ctx.env(server, { clientId: "another-client" }));
    const t0 = await ctx.attempt(() => one.getToken());
    const t1 = await ctx.attempt(() => other.getToken());
    if (t0.ok && t1.ok) ctx.check(t0.value.accessToken !== t1.value.accessToken, "two clients got different tokens");
    // Two instances on one transport, each bound to its resource server.
    const k1 = await ctx.create(ctx.env(server, { resource: ["https://rs1.test/"], baseUrl: "https://rs1.test" }));
    const k2 = await ctx.create(ctx.env(server, { resource: ["https://rs2.test/"], baseUrl: "https://rs2.test" }));
    const s1 = await ctx.attempt(async () => (await k1.fetch("/a")).status);
    const s2 = await ctx.attempt(async () => (await k2.fetch("/b")).status);
    ctx.check(s1.ok && s1.value === 200 && s2.ok && s2.value === 200, `RS answers ${s1.ok ? s1.value : s1.info.kind}/${s2.ok ? s2.value : s2.info.kind}`);
    const forRs2 = server.issued.filter((t) => t.resource.includes("https://rs2.test/")).map((t) => t.value);
    const leaked = server.resourceRequests("https://rs1.test").filter((r) => forRs2.some((v) => carries(r, v)));
    ctx.check(leaked.length === 0, `RS-1 received ${leaked.length} token(s) issued for RS-2`);
    ctx.evidence(`${server.tokenRequests().length} token requests for 6 keys; RS-1 never saw an RS-2 token`);
  },
} satisfies Scenario;
