// Cloudflare Workers with a Workers KV store: isolates share the token through KV instead of each
// requesting its own. Still one keeper per isolate, at module scope: never one per request.
// KV is eventually consistent, so this thins token requests; it does not make them one per
// fleet (a Durable Object can).
//   npx wrangler dev -c wrangler.kv-store.toml   (from this folder; it binds the TOKENS namespace)
//   npx wrangler dev -c wrangler.kv-store.toml --env local   (against `npm run example -- --serve`)
// In CI, examples/shared/run-all.ts runs it in workerd with a local KV namespace.
import { env, waitUntil } from "cloudflare:workers";
import { createTokenKeeper } from "tokenkeeper";
import { workersKvStore } from "tokenkeeper/stores/workers-kv";

const api = createTokenKeeper({
  tokenEndpoint: env.TOKEN_ENDPOINT,
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  baseUrl: env.API_BASE_URL,
  store: workersKvStore(env.TOKENS, { prefix: "tokenkeeper:" }),
  waitUntil,
});

export default {
  async fetch(request: Request): Promise<Response> {
    return api.fetch(`/v2${new URL(request.url).pathname}`);
  },
};
