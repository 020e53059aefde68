import type { Scenario } from "../types.ts";

export default {
  id: "AUTH-09",
  title: "Client credentials without client authentication is refused at configuration",
  severity: "SHOULD",
  source: "RFC 6749 §4.4, §4.4.2 (the client MUST authenticate)",
  async run(ctx) {
    const server = ctx.server({ client: { id: "s6BhdRkqt3", methods: ["none"] } });
    const created = await ctx.attempt(() => ctx.create(ctx.env(server, { auth: { method: "none" } })));
    if (created.ok) {
      await ctx.attempt(() => created.value.getToken());
      const sent = server.tokenRequests().length;
      ctx.check(sent === 0, `accepted auth 'none' and sent ${sent} unauthenticated token request(s)`);
      ctx.evidence(`accepted at construction; ${sent} token requests`);
    } else {
      ctx.check(created.info.kind === "config", `refused with ${created.info.kind}`);
      ctx.evidence(`refused at construction (${created.info.code ?? created.info.kind})`);
    }
  },
} satisfies Scenario;
