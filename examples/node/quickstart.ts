// Node quick start: a keeper for an API that uses OAuth 2.0 client credentials.
//   CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/node/quickstart.ts   (with your URLs below)
// In CI, examples/shared/run-all.ts runs it against the fake token server and API.
import { createTokenKeeper } from "tokenkeeper";

const api = createTokenKeeper({
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!, // sent as client_secret_post
  baseUrl: "https://api.example.com", // relative URLs resolve here; the token goes only here
});

const res = await api.fetch("/v2/accounts"); // token fetched, cached, refreshed, attached
console.log(await res.json());
