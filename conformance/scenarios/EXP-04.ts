import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { drain, revoke, setup } from "./_helpers.ts";

export default {
  id: "EXP-04",
  title: "No expires_in: token usable, cached for a finite default lifetime, refreshed on 401",
  severity: "ROBUST",
  source: "RFC 6749 §5.1 (expires_in RECOMMENDED); OIDF without-expires_in",
  basis: [robust("RFC 6749 §5.1", "expires_in is only RECOMMENDED of the server, so a response without it is valid; no sentence tells the client how long to keep such a token: a finite default and a refresh on 401 are robustness")],
  requires: { subject: ["clock"] },
  async run(ctx) {
    const { server, instance } = await setup(ctx, { expiresIn: null });
    const first = await ctx.attempt(() => instance.getToken());
    ctx.check(first.ok, `token without expires_in accepted: ${first.ok ? "yes" : first.info.kind}`);
    if (first.ok && ctx.has("fetch")) {
      revoke(server, first.value.accessToken);
      const res = await ctx.attempt(() => instance.fetch("/data"));
      if (res.ok) await drain(res.value);
      ctx.check(res.ok && res.value.status === 200, `after the RS rejects it (401 invalid_token): ${res.ok ? res.value.status : res.info.kind}`);
    }
    const before = server.tokenRequests().length;
    ctx.clock.advance(3_601_000);
    await ctx.attempt(() => instance.getToken());
    const after = server.tokenRequests().length;
    ctx.check(after > before, "a new token is requested within 1 h (finite default lifetime)");
    ctx.evidence(`${after} token requests; refreshed on 401 and after 1 h`);
  },
} satisfies Scenario;
