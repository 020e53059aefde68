import type { Scenario } from "../scenario.ts";
import { RFC6749_AUTHENTICATE, robust } from "./_basis.ts";
import { control } from "./_helpers.ts";

export default {
  id: "AUTH-09",
  title: "Client credentials without client authentication is never sent; refused at configuration",
  severity: "MUST",
  severityLabel: "MUST/ROBUST",
  source: "RFC 6749 §4.4.2",
  basis: [
    RFC6749_AUTHENTICATE,
    robust("RFC 6749 §4.4.2", "refusing the configuration itself (rather than failing at the first request) is a token manager's courtesy"),
  ],
  async run(ctx) {
    await control(ctx);
    const server = ctx.server({ client: { id: "s6BhdRkqt3", methods: ["none"] } });
    const created = await ctx.attempt(() => ctx.create(ctx.env(server, { auth: { method: "none" } })));
    if (created.ok) {
      await ctx.attempt(() => created.value.getToken());
      const sent = server.tokenRequests().length;
      ctx.check(sent === 0, `accepted auth 'none' and sent ${sent} unauthenticated token request(s)`);
      ctx.check(false, "auth 'none' accepted at construction", "ROBUST");
      ctx.evidence(`accepted at construction; ${sent} token requests`);
    } else {
      ctx.check(true, "refused at construction", "ROBUST");
      ctx.evidence(`refused at construction (${created.info.code ?? created.info.kind}: ${created.info.message.split("\n")[0]})`);
    }
  },
} satisfies Scenario;
