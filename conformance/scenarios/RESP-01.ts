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
    const at = got.value.expiresAt;
    if (at !== undefined) ctx.check(Math.abs(at - (t0 + TOKEN_LIFETIME_S * 1000)) <= 2000, `expiresAt is issuance + ${((at - t0) / 1000).toFixed(0)} s, expires_in said ${TOKEN_LIFETIME_S}`);
    ctx.evidence(`token obtained; expiry ${at === undefined ? "not reported" : `${((at - t0) / 1000).toFixed(0)} s`} (from expires_in)`);
  },
} satisfies Scenario;
