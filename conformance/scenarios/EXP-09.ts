import type { Scenario } from "../scenario.ts";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

const LIFETIME_MS = TOKEN_LIFETIME_S * 1000;

// The authorization server's clock runs an hour ahead of the client's, then an hour behind; it
// dates its answers (Date header) by its own clock. expires_in is relative, so the client's view
// of the token's life must not move: reused at half its life, renewed once it has passed.
export default {
  id: "EXP-09",
  title: "Clock skew between client and server: expiry is expires_in from the client's own clock",
  severity: "ROBUST",
  source: "RFC 6749 §5.1",
  basis: [robust("RFC 6749 §5.1", 'expires_in is "the lifetime in seconds of the access token": relative, so skew does not matter, but no sentence forbids a client to mix in the server\'s Date header or clock')],
  requires: { subject: ["clock"] },
  async run(ctx) {
    const out: string[] = [];
    for (const [label, skew] of [["server 1 h ahead", 3_600_000], ["server 1 h behind", -3_600_000]] as const) {
      const { server, instance } = await setup(ctx, { clockSkewMs: skew });
      const first = await ctx.attempt(() => instance.getToken());
      ctx.clock.advance(LIFETIME_MS / 2);
      const half = await ctx.attempt(() => instance.getToken());
      const atHalf = server.tokenRequests().length;
      ctx.clock.advance(LIFETIME_MS / 2 + 60_000);
      const after = await ctx.attempt(() => instance.getToken());
      const total = server.tokenRequests().length;
      ctx.check(first.ok && half.ok && after.ok, `${label}: tokens obtained (${[first, half, after].map((a) => (a.ok ? "ok" : a.info.kind)).join(", ")})`);
      ctx.check(atHalf === 1, `${label}: ${atHalf} token requests by half the token's life (reused)`);
      ctx.check(total === 2 && after.ok && first.ok && after.value.accessToken !== first.value.accessToken, `${label}: ${total} token requests once its life has passed (renewed once)`);
      out.push(`${label}: ${atHalf} then ${total} requests`);
    }
    ctx.evidence(out.join("; "));
  },
} satisfies Scenario;
