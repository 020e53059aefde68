import type { Scenario } from "../scenario.ts";
import { oauthError } from "../fake/server.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

export default {
  id: "GRANT-03",
  title: "Resource indicators: one absolute resource parameter each; bad ones refused; invalid_target not retried",
  severity: "ROBUST",
  source: "RFC 8707 §2",
  basis: [
    robust("RFC 8707 §2", "the value rules (an absolute URI, no fragment) describe a valid request, and RFC 8707 leaves refusing a bad one to the server (invalid_target); a client that passes its caller's value on breaks no client MUST"),
  ],
  requires: { subject: ["resource"] },
  async run(ctx) {
    const resources = ["https://rs1.test/", "https://rs2.test/api"];
    await control(ctx, { resource: resources });
    const a = await setup(ctx, {}, { resource: resources });
    await ctx.attempt(() => a.instance.getToken());
    const sent = a.server.tokenRequests()[0]?.form.all("resource") ?? [];
    ctx.check(JSON.stringify(sent) === JSON.stringify(resources), `resource params ${JSON.stringify(sent)}`);
    for (const bad of ["https://rs1.test/api#frag", "/relative"]) {
      const server = ctx.server();
      const made = await ctx.attempt(async () => {
        const i = await ctx.create(ctx.env(server, { resource: [bad] }));
        return i.getToken();
      });
      ctx.check(!made.ok && server.tokenRequests().length === 0, `resource '${bad}': ${made.ok ? "accepted" : "refused"}, ${server.tokenRequests().length} request(s) sent`);
    }
    const c = await setup(ctx, { token: () => oauthError(400, "invalid_target", "unknown resource") }, { resource: ["https://rs3.test/"] });
    const got = await ctx.attempt(() => c.instance.getToken());
    ctx.check(!got.ok && got.info.error === "invalid_target", `invalid_target surfaced as ${got.ok ? "success" : `${got.info.kind} ${got.info.error}`}`);
    ctx.check(c.server.tokenRequests().length === 1, `invalid_target requests: ${c.server.tokenRequests().length} (no retry)`);
    ctx.evidence(`resource params ${sent.length}; #frag and relative refused; invalid_target not retried`);
  },
} satisfies Scenario;
