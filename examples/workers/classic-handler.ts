// Cloudflare Workers, the classic `fetch(request, env, ctx)` handler: bindings arrive with the
// first request, so the keeper is created then, once, and shared by every later request of the
// isolate. `waitUntil` is handed over per call, from each request's `ctx`.
//   npx wrangler dev classic-handler.ts   (from this folder; add --env local for a local fake)
// In CI, examples/shared/run-all.ts runs it in workerd against the fake token server and API.
import { createTokenKeeper, type TokenKeeper } from "tokenkeeper";

interface Env {
  TOKEN_ENDPOINT: string;
  API_BASE_URL: string;
  CLIENT_ID: string;
  CLIENT_SECRET: string;
}

let api: TokenKeeper | undefined;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    api ??= createTokenKeeper({
      tokenEndpoint: env.TOKEN_ENDPOINT,
      clientId: env.CLIENT_ID,
      clientSecret: env.CLIENT_SECRET,
      baseUrl: env.API_BASE_URL,
    });
    // A background refresh this call starts runs under this request's waitUntil.
    await api.getToken({ waitUntil: ctx.waitUntil.bind(ctx) });
    return api.fetch(`/v2${new URL(request.url).pathname}`); // the token is in memory now
  },
};
