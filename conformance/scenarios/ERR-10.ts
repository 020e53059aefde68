import type { Scenario } from "../scenario.ts";
import { decodeJwt } from "jose";
import { TOKEN_LIFETIME_S } from "../fake/server.ts";
import { oauthError } from "../fake/server.ts";
import { RFC9449_NEW_NONCE } from "./_basis.ts";
import { ecKeyPair, setup } from "./_helpers.ts";

const nonceOf = (proof: string | null): unknown => {
  try {
    return decodeJwt(proof ?? "").nonce;
  } catch {
    return undefined;
  }
};

// The token endpoint rotates its DPoP nonce: it demands "n1" first; its 200 for the first token
// carries a new nonce "n2" in DPoP-Nonce (the "more efficient manner" of RFC 9449 §8.2), and it
// accepts only "n2" from then on. After the token's life, the renewal's first request must carry
// n2: a stale n1 is a break of §8.2 (and costs a round trip).
export default {
  id: "ERR-10",
  title: "DPoP nonce rotation: a new nonce in a 200 response is used for the next token request",
  severity: "MUST",
  source: "RFC 9449 §8, §8.2",
  basis: [RFC9449_NEW_NONCE],
  requires: { subject: ["dpop", "clock"] },
  async run(ctx) {
    const dpop = await ecKeyPair();
    let current = "n1";
    const { server, instance } = await setup(ctx, {
      token: async (req, s) => {
        if (nonceOf(req.header("dpop")) !== current) return oauthError(400, "use_dpop_nonce", "nonce required", { "dpop-nonce": current });
        const reply = await s.defaultToken(req);
        if (current === "n1") current = "n2";
        return { ...reply, headers: { ...reply.headers, "dpop-nonce": current } };
      },
    }, { dpop });
    const first = await ctx.attempt(() => instance.getToken());
    if (!first.ok) return void ctx.check(false, `no first token with nonce n1 (${first.info.kind}: ${first.info.message})`);
    const before = server.tokenRequests().length;
    // Well past the token's life, so that a renewal is due whatever margin the client keeps.
    ctx.clock.advance(2 * (TOKEN_LIFETIME_S + 60) * 1000);
    const renewed = await ctx.attempt(() => instance.getToken());
    const renewal = server.tokenRequests().slice(before);
    const sent = renewal.map((r) => nonceOf(r.header("dpop")));
    ctx.check(renewal.length >= 1 && sent[0] === "n2", renewal.length ? `renewal's first proof carried nonce ${JSON.stringify(sent[0])}, the 200 had supplied "n2"` : "no renewal after twice the token's life");
    ctx.check(renewed.ok, `renewed token: ${renewed.ok ? "obtained" : renewed.info.kind}`);
    ctx.evidence(`first token with n1; the 200 rotated to n2; renewal sent ${JSON.stringify(sent)}`);
  },
} satisfies Scenario;
