// keeper.fetch in ofetch: `ofetch.create()` takes the defaults first and the fetch in its second
// argument.
import { ofetch } from "ofetch";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

const api = ofetch.create({ baseURL: "https://api.example.com/v2" }, { fetch: keeper.fetch });

console.log(await api("/accounts"));
console.log(await api("/orders", { method: "POST", body: { item: "book", quantity: 1 } }));
