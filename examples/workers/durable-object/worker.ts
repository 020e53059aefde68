// Cloudflare Workers at scale: each isolate keeps one keeper at module scope, and every isolate
// of the fleet shares one token through a Durable Object, so the fleet sends one token request
// per refresh (Workers KV cannot promise that: it is eventually consistent).
//   npx wrangler dev   (from this folder; `npx wrangler secret put CLIENT_SECRET` for production)
//   npx wrangler dev --env local   (against the fake that `npm run example -- --serve` starts)
// In CI, the example runner runs this worker in workerd (miniflare) as three isolates.
import { env, waitUntil } from "cloudflare:workers";
import { createTokenKeeper } from "tokenkeeper";
import { durableObjectStore } from "tokenkeeper/stores/durable-object";

// The Durable Object the fleet shares; wrangler.toml binds it as TOKEN_STORE.
export { TokenStoreObject } from "tokenkeeper/stores/durable-object";

const api = createTokenKeeper({
  tokenEndpoint: env.TOKEN_ENDPOINT,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  baseUrl: env.API_BASE_URL,
  store: durableObjectStore(env.TOKEN_STORE),
  waitUntil, // lets a token request finish for the requests waiting on it if its own request ends
});

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const upstream = await api.fetch(`/v2${pathname}`);
    return new Response(upstream.body, { status: upstream.status, headers: { "content-type": "application/json" } });
  },
};
