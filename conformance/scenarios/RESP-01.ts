import type { Scenario } from "../scenario.ts";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { RFC6749_IGNORE_UNKNOWN } from "./_basis.ts";
import { setup, tokenReply } from "./_helpers.ts";

export default {
  id: "RESP-01",
  title: "Unknown response members are ignored, not used for expiry",
  severity: "MUST",
  source: "RFC 6749 §5.1",
  basis: [RFC6749_IGNORE_UNKNOWN],
  async run(ctx) {
    const t0 = ctx.clock.now();
    const { instance } = await setup(ctx, {
      token: (_r, s) =>
        tokenReply(s, { example_parameter: "example_value", expires_on: "1605686811", ext_expires_in: String(TOKEN_LIFETIME_S * 2), refresh_in: 1800, not_before: 1605683211 }),
    });
    const got = await ctx.attempt(() => instance.getToken());
    if (!ctx.check(got.ok, `token obtained${got.ok ? "" : ` (${got.info.kind}: ${got.info.message})`}`) || !got.ok) return;
    const t1 = ctx.clock.now();
    const at = got.value.expiresAt;
    // Between the request and the answer, plus a second of rounding (some libraries keep whole
    // seconds): the alternatives this tells apart (ext_expires_in, expires_on) are hours away.
    const lifetimeMs = TOKEN_LIFETIME_S * 1000;
    if (at !== undefined) ctx.check(at >= t0 + lifetimeMs - 1000 && at <= t1 + lifetimeMs + 1000, `expiresAt is issuance + ${((at - t0) / 1000).toFixed(0)} s (answered ${((t1 - t0) / 1000).toFixed(1)} s after the request), expires_in said ${TOKEN_LIFETIME_S}`);
    ctx.evidence(`token obtained; expiry ${at === undefined ? "not reported" : `${((at - t0) / 1000).toFixed(0)} s`} (from expires_in)`);
  },
} satisfies Scenario;
