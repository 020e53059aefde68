// keeper.fetch in openapi-fetch: a typed client from an OpenAPI description, with the token.
// `paths` comes from `npx openapi-typescript openapi.yaml -o api.d.ts`; a two-route excerpt here.
import createClient from "openapi-fetch";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

interface paths {
  "/v2/accounts": {
    get: { responses: { 200: { content: { "application/json": { ok: boolean; path: string } } } } };
  };
  "/v2/orders": {
    post: {
      requestBody: { content: { "application/json": { item: string; quantity: number } } };
      responses: { 200: { content: { "application/json": { ok: boolean; received: unknown } } } };
    };
  };
}

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

const api = createClient<paths>({ baseUrl: "https://api.example.com", fetch: keeper.fetch });

const { data, error } = await api.GET("/v2/accounts");
if (error !== undefined) throw new Error("GET /v2/accounts failed");
console.log(data);
console.log((await api.POST("/v2/orders", { body: { item: "book", quantity: 1 } })).data);
