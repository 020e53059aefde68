import type { Scenario } from "../scenario.ts";
import { decodeJwt } from "jose";
import { RFC9449_ATH, robust } from "./_basis.ts";
import { drain, ecKeyPair, setup } from "./_helpers.ts";

export default {
  id: "RS-06",
  title: "DPoP at the RS: DPoP scheme, a valid proof with ath, one retry with the RS nonce",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 9449 §4.2, §7.1, §9; OIDF rs-dpop-auth-scheme-case-insensitivity",
  basis: [
    RFC9449_ATH,
    robust("RFC 9449 §7.1, §9", "the DPoP scheme and the nonce retry at the resource server are how §7.1 and §9 describe the exchange, with no MUST on the client's retry; a resource server refuses anything else"),
  ],
  requires: { subject: ["dpop", "fetch"] },
  async run(ctx) {
    const dpop = await ecKeyPair();
    const { server, instance } = await setup(ctx, {
      resource: (req, s) => {
        let nonce: unknown;
        try {
          nonce = decodeJwt(req.header("dpop") ?? "").nonce;
        } catch { /* no proof */ }
        if (nonce !== "rsn1") return { status: 401, headers: { "www-authenticate": 'dPoP error="use_dpop_nonce", error_description="nonce"', "dpop-nonce": "rsn1" }, body: "" };
        return s.defaultResource(req);
      },
    }, { dpop });
    const res = await ctx.attempt(() => instance.fetch("/data?q=1"));
    if (res.ok) await drain(res.value);
    const token = server.issued[0];
    const reqs = server.resourceRequests();
    ctx.check(token?.tokenType === "DPoP" && token.jkt !== undefined, "token endpoint issued a DPoP-bound token", "ROBUST");
    ctx.check(reqs.length === 2, `${reqs.length} RS requests (one nonce retry)`, "ROBUST");
    const last = reqs[reqs.length - 1];
    ctx.check(last?.header("authorization") === `DPoP ${token?.value}`, `scheme '${last?.header("authorization")?.split(" ")[0]}'`, "ROBUST");
    ctx.check((last?.problems ?? ["no request"]).length === 0, `proof problems (ath, htu, key): ${last?.problems.join("; ") || "none"}`);
    ctx.check(res.ok && res.value.status === 200, `RS status ${res.ok ? res.value.status : res.info.kind}`, "ROBUST");
    ctx.evidence(`DPoP scheme, proof valid (ath, htu, key), ${reqs.length} RS requests`);
  },
} satisfies Scenario;
