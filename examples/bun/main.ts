// Bun: a small HTTP service that calls an upstream API with the token on every request.
//   CLIENT_ID=… CLIENT_SECRET=… bun examples/bun/main.ts
// In CI, TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT and TOKENKEEPER_EXAMPLE_API point it at a local fake;
// the script then calls its own server once and exits.
import { allowInsecureRequests, createTokenKeeper } from "../../mod.ts"; // in your project: from "tokenkeeper"

const tokenEndpoint = process.env["TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT"] ?? "https://auth.example.com/oauth2/token";
const baseUrl = process.env["TOKENKEEPER_EXAMPLE_API"] ?? "https://api.example.com";

const api = createTokenKeeper({
  tokenEndpoint,
  clientId: process.env["CLIENT_ID"] ?? "",
  clientSecret: process.env["CLIENT_SECRET"] ?? "",
  baseUrl,
  [allowInsecureRequests]: baseUrl.startsWith("http://"),
});

interface BunServer {
  readonly url: URL;
  stop(): void;
}
declare const Bun: { serve(options: { port: number; fetch(request: Request): Promise<Response> }): BunServer };

// Every incoming request shares one cached token; concurrent ones share one token request.
const server = Bun.serve({
  port: 0,
  async fetch(request) {
    const upstream = await api.fetch(`/v2${new URL(request.url).pathname}`);
    return new Response(upstream.body, { status: upstream.status, headers: { "content-type": "application/json" } });
  },
});
console.log("listening on", server.url.href);

if (process.env["TOKENKEEPER_EXAMPLE_API"]) {
  try {
    const answers = await Promise.all(["ping", "accounts", "offers"].map((path) => fetch(new URL(path, server.url))));
    for (const res of answers) {
      if (!res.ok) throw new Error(`proxy answered ${res.status}`);
      console.log(await res.json());
    }
  } finally {
    server.stop();
    await api.close();
  }
}
