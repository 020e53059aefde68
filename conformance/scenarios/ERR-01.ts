import type { Scenario } from "../scenario.ts";
import { NO_STORE } from "../fake/reply.ts";
import { robust } from "./_basis.ts";
import { control, setup } from "./_helpers.ts";

const ERRORS = ["invalid_request", "invalid_scope", "unauthorized_client", "unsupported_grant_type", "invalid_grant", "invalid_target"];

export default {
  id: "ERR-01",
  title: "OAuth 400 errors are typed (error, description, status) and never retried",
  severity: "ROBUST",
  source: "RFC 6749 §5.2; RFC 8707",
  basis: [robust("RFC 6749 §5.2", "the error response format binds the server; exposing error, error_description and the status, and not retrying a request that will fail again, is a client's robustness")],
  async run(ctx) {
    await control(ctx);
    const out: string[] = [];
    for (const error of ERRORS) {
      const { server, instance } = await setup(ctx, {
        token: () => ({ status: 400, json: { error, error_description: `why ${error}`, error_uri: "https://as.test/doc" }, headers: { ...NO_STORE } }),
      });
      const got = await ctx.attempt(() => instance.getToken());
      const n = server.tokenRequests().length;
      ctx.check(!got.ok && got.info.kind === "oauth" && got.info.error === error && got.info.status === 400, `${error}: ${got.ok ? "accepted" : `${got.info.kind} ${got.info.error} ${got.info.status}`}`);
      ctx.check(n === 1, `${error}: ${n} token requests (no retry)`);
      out.push(`${error}:${n}`);
    }
    ctx.evidence(`6 errors typed with status 400, 1 request each`);
  },
} satisfies Scenario;
