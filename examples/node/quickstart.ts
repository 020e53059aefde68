// Node quick start: a keeper for an API that uses OAuth 2.0 client credentials.
//   CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/node/quickstart.ts
// In CI, TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT and TOKENKEEPER_EXAMPLE_API point it at a local fake.
import { allowInsecureRequests, createTokenKeeper } from "../../mod.ts"; // in your project: from "tokenkeeper"

const tokenEndpoint = process.env["TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT"] ?? "https://auth.example.com/oauth2/token";
const baseUrl = process.env["TOKENKEEPER_EXAMPLE_API"] ?? "https://api.example.com";

const api = createTokenKeeper({
  tokenEndpoint,
  clientId: process.env["CLIENT_ID"] ?? "",
  clientSecret: process.env["CLIENT_SECRET"] ?? "", // sent as client_secret_post
  baseUrl, // relative URLs resolve here, and the token is sent only here
  // http is refused except on loopback, and only with this flag: for the local fake server.
  [allowInsecureRequests]: baseUrl.startsWith("http://"),
});

try {
  // The first call fetches a token; the second reuses it.
  for (const path of ["/v2/ping", "/v2/accounts"]) {
    const res = await api.fetch(path);
    if (!res.ok) throw new Error(`GET ${path} failed: ${res.status}`);
    console.log(path, await res.json());
  }
} finally {
  await api.close(); // stops background work so the process can exit
}
