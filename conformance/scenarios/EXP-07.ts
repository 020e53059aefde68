import type { Scenario } from "../scenario.ts";
import { NO_STORE } from "../fake/reply.ts";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { setup } from "./_helpers.ts";

const b64url = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const LIFETIME_MS = TOKEN_LIFETIME_S * 1000;

export default {
  id: "EXP-07",
  title: "Expiry comes from expires_in only, never from decoding a JWT access token",
  severity: "ROBUST",
  source: "RFC 9068 §6; RFC 6749 §1.4 (the token is opaque to the client)",
  basis: [robust("RFC 6749 §1.4; RFC 9068 §6", "the access token string is 'usually opaque to the client' and RFC 9068 tells clients not to inspect JWT access tokens; neither puts a MUST on how a client computes expiry")],
  requires: { subject: ["clock"] },
  async run(ctx) {
    // The same call sequence with an opaque token and with JWTs whose exp disagrees with
    // expires_in by ±1 h must cause the same token requests.
    const counts: number[] = [];
    for (const [label, offsetS] of [["opaque", undefined], ["JWT exp -1 h", -3600], ["JWT exp +1 h", 3600]] as const) {
      const { server, instance } = await setup(ctx, {
        token: (_r, s) => {
          const now = Math.floor(s.clock.now() / 1000);
          const value = offsetS === undefined
            ? undefined
            : `${b64url({ alg: "RS256", typ: "at+jwt" })}.${b64url({ iss: "https://as.test", iat: now + offsetS - 60, exp: now + TOKEN_LIFETIME_S + offsetS, sub: "c" })}.c2lnbmF0dXJl`;
          const t = s.issue(value === undefined ? {} : { value });
          return { json: { access_token: t.value, token_type: "Bearer", expires_in: TOKEN_LIFETIME_S }, headers: { ...NO_STORE } };
        },
      });
      const t0 = ctx.clock.now();
      const first = await ctx.attempt(() => instance.getToken());
      const t1 = ctx.clock.now();
      if (first.ok && first.value.expiresAt !== undefined) {
        // Between the request and the answer, plus a second of rounding: the JWT's exp is an hour away.
        const at = first.value.expiresAt;
        ctx.check(at >= t0 + LIFETIME_MS - 1000 && at <= t1 + LIFETIME_MS + 1000, `${label}: expiresAt is issuance + ${((at - t0) / 1000).toFixed(0)} s`);
      }
      for (const step of [LIFETIME_MS / 3, LIFETIME_MS / 2, (LIFETIME_MS * 4) / 3]) {
        ctx.clock.advance(step);
        const got = await ctx.attempt(() => instance.getToken());
        ctx.check(got.ok, `${label}: token obtained`);
      }
      counts.push(server.tokenRequests().length);
    }
    ctx.check(counts[1] === counts[0] && counts[2] === counts[0], `token requests opaque/-1h/+1h: ${counts.join("/")}`);
    ctx.evidence(`token requests opaque/JWT-1h/JWT+1h: ${counts.join("/")}; expiry from expires_in`);
  },
} satisfies Scenario;
