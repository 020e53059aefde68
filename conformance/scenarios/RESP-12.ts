import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { setup, tokenReply } from "./_helpers.ts";

// RESP-02 grades the same through a resource request; this one needs no resource-request helper,
// so libraries that only hand out tokens are graded too.
export default {
  id: "RESP-12",
  title: "token_type is compared case-insensitively: bearer, BEARER and bEARER are Bearer tokens",
  severity: "ROBUST",
  source: "RFC 6749 §5.1, §7.1",
  basis: [robust("RFC 6749 §5.1", 'token_type "Value is case insensitive": a client that refuses "bearer" breaks interop with servers that send it (several do), though no sentence puts a MUST on the client')],
  async run(ctx) {
    const seen: string[] = [];
    for (const type of ["bearer", "BEARER", "bEARER"]) {
      const { instance } = await setup(ctx, { token: (_r, s) => tokenReply(s, { token_type: type }) });
      const got = await ctx.attempt(() => instance.getToken());
      ctx.check(got.ok && /^bearer$/i.test(got.value.tokenType), `token_type '${type}': ${got.ok ? `accepted as '${got.value.tokenType}'` : `refused (${got.info.kind}: ${got.info.message})`}`);
      seen.push(`${type}→${got.ok ? got.value.tokenType : got.info.kind}`);
    }
    ctx.evidence(seen.join(", "));
  },
} satisfies Scenario;
