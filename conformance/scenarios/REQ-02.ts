import type { Scenario } from "../scenario.ts";
import { mediaParams } from "../fake/parse.ts";
import { RFC6749_FORM } from "./_basis.ts";
import { setup } from "./_helpers.ts";

export default {
  id: "REQ-02",
  title: "Token request body is application/x-www-form-urlencoded",
  severity: "MUST",
  source: "RFC 6749 §4.4.2, Appendix B",
  basis: [RFC6749_FORM],
  async run(ctx) {
    const { server, instance } = await setup(ctx, { strict: true }, ctx.has("scope") ? { scope: ["a"] } : {});
    await ctx.attempt(() => instance.getToken());
    const reqs = server.tokenRequests();
    ctx.check(reqs.length >= 1, `token requests: ${reqs.length}`);
    for (const r of reqs) {
      ctx.check(r.mediaType === "application/x-www-form-urlencoded", `media type '${r.mediaType}'`);
      ctx.check(!/^\s*[[{]/.test(r.text) && !r.text.startsWith("--"), "body is not JSON or multipart");
      ctx.check(r.form.ascii, "body bytes are ASCII (form-encoded)");
    }
    const charset = mediaParams(reqs[0]?.header("content-type") ?? null).charset;
    ctx.note(`interop: charset parameter ${charset === undefined ? "not sent" : `sent (${charset})`}`);
    ctx.evidence(`Content-Type '${reqs[0]?.header("content-type")}'; charset ${charset ?? "absent"} (info)`);
  },
} satisfies Scenario;
