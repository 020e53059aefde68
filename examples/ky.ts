// keeper.fetch in ky: ky takes any fetch as its `fetch` option. The token is attached, refreshed,
// and replaced once after a 401; ky's own retries and hooks work as usual.
import ky from "ky";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper(options);

const api = ky.create({ prefixUrl: "https://api.example.com/v2", fetch: keeper.fetch });

console.log(await api.get("accounts").json());
console.log(await api.post("orders", { json: { item: "book", quantity: 1 } }).json());
