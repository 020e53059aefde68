// Deno: the keeper as a disposable resource.
//   CLIENT_ID=… CLIENT_SECRET=… deno run --allow-env --allow-net examples/deno/main.ts
// In CI, TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT and TOKENKEEPER_EXAMPLE_API point it at a local fake.
import { allowInsecureRequests, createTokenKeeper } from "../../mod.ts"; // in your project: from "jsr:@tokenkeeper/tokenkeeper"

const tokenEndpoint = Deno.env.get("TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT") ?? "https://auth.example.com/oauth2/token";
const baseUrl = Deno.env.get("TOKENKEEPER_EXAMPLE_API") ?? "https://api.example.com";

// `await using` closes the keeper when the block ends, even on error.
await using api = createTokenKeeper({
  tokenEndpoint,
  clientId: Deno.env.get("CLIENT_ID") ?? "",
  clientSecret: Deno.env.get("CLIENT_SECRET") ?? "",
  baseUrl,
  [allowInsecureRequests]: baseUrl.startsWith("http://"),
});

const token = await api.getToken();
console.log("token type", token.tokenType, "expires", new Date(token.expiresAt).toISOString());

const res = await api.fetch("/v2/ping");
if (!res.ok) throw new Error(`GET /v2/ping failed: ${res.status}`);
console.log(await res.json());
