// Hono: a middleware gives every handler the keeper's fetch (and, for an SDK that wants the string,
// the token), typed through Hono's variables. One keeper for the whole app, made when the module
// loads: never one per request. The same app runs on Node, Deno, Bun and Workers.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { createTokenKeeper, isTokenKeeperError, type TokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

/** What the middleware gives handlers: `c.var.api`, and `c.var.token()` for an SDK that takes the string. */
type PartnerApi = { Variables: { api: TokenKeeper["fetch"]; token: () => Promise<string> } };

const partnerApi = createMiddleware<PartnerApi>(async (c, next) => {
  c.set("api", keeper.fetch);
  c.set("token", async () => (await keeper.getToken()).accessToken);
  await next();
});

const app = new Hono<PartnerApi>();
app.use("/reports/*", partnerApi);

app.get("/reports/:id", async (c) => {
  const upstream = await c.var.api(`/v2/reports/${encodeURIComponent(c.req.param("id"))}`);
  return c.json(await upstream.json(), upstream.ok ? 200 : 502);
});

// The token endpoint refused or could not be reached: the partner API is unavailable, not this app.
app.onError((error, c) => (isTokenKeeperError(error) ? c.json({ error: "partner API unavailable", code: error.code }, 503) : c.json({ error: "internal error" }, 500)));

// In an application: `export default app` (Bun, Deno, Workers) or serve(app) from @hono/node-server.
const res = await app.request("/reports/42");
console.log(res.status, await res.json());
console.log((await app.request("/reports/43")).status); // the same token, from memory
