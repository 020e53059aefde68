// Cloudflare Workers: one keeper per isolate, created at module scope and shared by every request;
// background refreshes are handed to `waitUntil`, so they finish after the response is sent.
//   npx wrangler dev   (from this folder; `npx wrangler secret put CLIENT_SECRET` for production)
// In CI, the example runner runs this worker in workerd (miniflare) against a local fake.
import { env, waitUntil } from "cloudflare:workers";
import { allowInsecureRequests, createTokenKeeper } from "../../mod.ts"; // in your project: from "tokenkeeper"

const api = createTokenKeeper({
  tokenEndpoint: env.TOKEN_ENDPOINT,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  baseUrl: env.API_BASE_URL,
  waitUntil, // the current request's waitUntil
  // For a local fake only: plain http is allowed on loopback hosts and nowhere else.
  [allowInsecureRequests]: env.API_BASE_URL.startsWith("http://"),
});

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const upstream = await api.fetch(`/v2${pathname}`);
    return new Response(upstream.body, { status: upstream.status, headers: { "content-type": "application/json" } });
  },
};
