// Scope: the keeper's own, and another one for a single call. Each scope set has its own cached
// token (and its own token request); the keeper's `fetch` uses the keeper's scope.
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const keeper = createTokenKeeper({ ...options, scope: ["reports:read", "accounts:read"] });

const token = await keeper.getToken(); // scope "reports:read accounts:read"
const admin = await keeper.getToken({ scope: "admin" }); // another token, cached on its own

console.log(token.scope, "|", admin.scope);
if (token.scope !== "reports:read accounts:read" || admin.scope !== "admin") throw new Error("unexpected scopes");
const res = await fetch("https://api.example.com/v2/admin", { headers: { authorization: `Bearer ${admin.accessToken}` } });
console.log(await res.json());
