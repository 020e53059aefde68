import type { Scenario } from "../scenario.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

const HTML = "<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>";

export default {
  id: "RESP-07",
  title: "A 200 HTML body fails as a parse error with the status; nothing cached",
  severity: "ROBUST",
  source: "RFC 6749 §5.1",
  basis: [robust("RFC 6749 §5.1", "the JSON response format binds the server; reporting an HTML page as a parse error with its status, and caching nothing, is a token manager's robustness")],
  async run(ctx) {
    await control(ctx);
    const out: string[] = [];
    for (const type of ["text/html", "application/json"]) {
      let broken = true;
      const { server, instance } = await setup(ctx, { token: () => (broken ? { body: HTML, headers: { "content-type": type } } : undefined) });
      const got = await ctx.attempt(() => instance.getToken());
      ctx.check(!got.ok && got.info.kind === "invalid_response", `HTML as ${type}: ${got.ok ? "accepted" : got.info.kind}`);
      if (!got.ok) ctx.check(got.info.status === 200 || got.info.message.includes("200"), `HTML as ${type}: error names status 200 (${got.info.status ?? "none"})`, "ROBUST");
      broken = false;
      const before = server.tokenRequests().length;
      const next = await ctx.attempt(() => instance.getToken());
      ctx.check(next.ok && server.tokenRequests().length === before + 1, `HTML as ${type}: next call sends a new request and succeeds`);
      out.push(`${type}→${got.ok ? "accepted" : got.info.kind}`);
    }
    ctx.evidence(out.join(", "));
  },
} satisfies Scenario;
