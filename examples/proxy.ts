// A custom fetch: here, through an HTTP proxy. Whatever `fetch` you give the keeper is used for
// the token endpoint, discovery and `keeper.fetch()`; the same goes for mTLS (an undici Agent
// with a client certificate), a fetch with tracing, or an in-process server in tests.
// Node's fetch ignores HTTPS_PROXY by itself; an undici dispatcher routes it through a proxy.
import { ProxyAgent } from "undici";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const proxy = new ProxyAgent(process.env.HTTPS_PROXY!); // from "undici"; e.g. http://proxy.internal:3128
const api = createTokenKeeper({
  ...options,
  fetch: (input, init) => fetch(input, { ...init, dispatcher: proxy } as RequestInit), // dispatcher: Node's extension
});

const res = await api.fetch("/v2/accounts");
console.log(await res.json());
await proxy.close();
