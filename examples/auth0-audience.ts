// Auth0 (and other servers that want more than scope): extra token request parameters. Auth0
// refuses a client credentials request without `audience`, the API identifier.
import { createTokenKeeper } from "tokenkeeper";

const api = createTokenKeeper({
  tokenEndpoint: "https://your-tenant.eu.auth0.com/oauth/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  tokenParameters: { audience: "https://api.example.com" }, // part of the cache key, too
  baseUrl: "https://api.example.com",
});

const res = await api.fetch("/v2/orders");
const body = (await res.json()) as { audience?: string };
console.log(body);
if (body.audience !== "https://api.example.com") throw new Error("the token was not issued for the API's audience");
