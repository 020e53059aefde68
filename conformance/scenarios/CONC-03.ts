import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "CONC-03",
  title: "Different keys are fetched in parallel and never mixed",
  severity: "ROBUST",
  source: "RFC 9700 §2.3",
  basis: [robust("RFC 9700 §2.3", "no RFC sentence speaks of a client's cache or its concurrency; handing one key's token to another key's caller is the leak GRANT-04 grades")],
  requires: { subject: ["scope"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, { token: (req, s) => s.defaultToken(req).then((r) => ({ ...r, delayMs: 500 })) });
    const [a, b] = await Promise.all([ctx.attempt(() => instance.getToken({ scope: ["a"] })), ctx.attempt(() => instance.getToken({ scope: ["b"] }))]);
    const reqs = server.tokenRequests();
    ctx.check(reqs.length === 2, `${reqs.length} token requests for 2 keys`);
    const gap = reqs.length === 2 ? Math.abs(reqs[1]!.realTime - reqs[0]!.realTime) : Infinity;
    ctx.check(gap < 400, `second request ${gap} ms after the first (parallel, not serialised)`);
    const scopeOf = (v: string) => server.find(v)?.scope;
    ctx.check(a.ok && scopeOf(a.value.accessToken) === "a", `scope-a caller got a token for ${a.ok ? scopeOf(a.value.accessToken) : a.info.kind}`);
    ctx.check(b.ok && scopeOf(b.value.accessToken) === "b", `scope-b caller got a token for ${b.ok ? scopeOf(b.value.accessToken) : b.info.kind}`);
    ctx.evidence(`2 requests ${gap} ms apart; each caller got its own key's token`);
  },
} satisfies Scenario;
