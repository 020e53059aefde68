import type { Scenario } from "../scenario.ts";
import { decodeJwt } from "jose";
import { oauthError } from "../fake/server.ts";
import { RFC9449_JTI, robust } from "./_basis.ts";
import { control, ecKeyPair, setup } from "./_helpers.ts";

export default {
  id: "ERR-08",
  title: "DPoP use_dpop_nonce at the token endpoint: one retry with the nonce and a new jti",
  severity: "ROBUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 9449 §4.2, §8; OIDF happy-path",
  basis: [
    RFC9449_JTI,
    robust("RFC 9449 §8", '"The client will typically retry the request with the new nonce value supplied": retrying once, and giving up on endless nonces, is robustness, not a MUST'),
  ],
  requires: { subject: ["dpop"] },
  async run(ctx) {
    const dpop = await ecKeyPair();
    await control(ctx, { dpop });
    const a = await setup(ctx, { dpopNonce: "n1" }, { dpop });
    const got = await ctx.attempt(() => a.instance.getToken());
    const proofs = a.server.tokenRequests().map((r) => decodeJwt(r.header("dpop") ?? "e30.e30."));
    ctx.check(got.ok, `token obtained after the nonce challenge: ${got.ok ? got.value.tokenType : got.info.kind}`);
    ctx.check(proofs.length === 2, `${proofs.length} token requests`);
    ctx.check(proofs[1]?.nonce === "n1", `retry nonce ${JSON.stringify(proofs[1]?.nonce)}`);
    ctx.check(proofs.length < 2 || proofs[0]!.jti !== proofs[1]!.jti, "retry proof has a new jti", "MUST");
    let k = 0;
    const b = await setup(ctx, { token: () => oauthError(400, "use_dpop_nonce", "again", { "dpop-nonce": `m${++k}` }) }, { dpop });
    const got2 = await ctx.attempt(() => b.instance.getToken());
    const n = b.server.tokenRequests().length;
    const jtis = b.server.tokenRequests().map((r) => String(decodeJwt(r.header("dpop") ?? "e30.e30.").jti));
    ctx.check(new Set(jtis).size === jtis.length, `endless nonces: ${new Set(jtis).size} distinct jti in ${jtis.length} proofs`, "MUST");
    ctx.check(!got2.ok && n >= 2 && n <= 3, `endless nonces: ${n} requests, then ${got2.ok ? "token?" : got2.info.kind}`);
    ctx.evidence(`nonce retry ok (${proofs.length} requests); endless nonces stop after ${n}`);
  },
} satisfies Scenario;
