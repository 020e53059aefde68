// Cloudflare Workers, module scope: one keeper per isolate, created when the module loads, from
// the bindings `cloudflare:workers` exposes, and shared by every request. Background refreshes
// are handed to the current request's `waitUntil`, so they finish after the response is sent.
//   npx wrangler dev   (from this folder; `npx wrangler secret put CLIENT_SECRET` for production)
//   npx wrangler dev --env local   (against the fake that `npm run example -- --serve` starts)
// In CI, examples/shared/run-all.ts runs it in workerd against the fake token server and API.
import { env, waitUntil } from "cloudflare:workers";
import { createTokenKeeper } from "tokenkeeper";

const api = createTokenKeeper({
  tokenEndpoint: env.TOKEN_ENDPOINT,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  baseUrl: env.API_BASE_URL,
  waitUntil, // always the current request's
});

export default {
  async fetch(request: Request): Promise<Response> {
    return api.fetch(`/v2${new URL(request.url).pathname}`);
  },
};
