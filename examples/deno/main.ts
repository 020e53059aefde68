// Deno: the keeper as a disposable resource.
//   deno add jsr:@tokenkeeper/tokenkeeper
//   CLIENT_ID=… CLIENT_SECRET=… deno run --allow-env --allow-net=auth.example.com,api.example.com examples/deno/main.ts
// In CI, examples/shared/run-all.ts runs it against the fake token server and API.
import { createTokenKeeper } from "@tokenkeeper/tokenkeeper";

// `await using` closes the keeper when the scope ends, even on error.
await using api = createTokenKeeper({
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: Deno.env.get("CLIENT_ID")!,
  clientSecret: Deno.env.get("CLIENT_SECRET")!,
  baseUrl: "https://api.example.com",
});

const res = await api.fetch("/v2/accounts");
console.log(await res.json());
