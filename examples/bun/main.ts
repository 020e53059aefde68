// Bun: a small HTTP service that calls an upstream API with the token on every request.
//   CLIENT_ID=… CLIENT_SECRET=… bun examples/bun/main.ts
// In CI, examples/shared/run-all.ts runs it against the fake token server and API, and the script
// calls its own server three times, then stops.
import { createTokenKeeper } from "tokenkeeper";

const api = createTokenKeeper({
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
});

// Every incoming request shares one cached token; concurrent ones share one token request.
const server = Bun.serve({
  fetch: (request) => api.fetch(`/v2${new URL(request.url).pathname}`), // port: $PORT, or 3000
});
console.log("listening on", server.url.href);

if (process.env.TOKENKEEPER_FAKE_NETWORK) {
  try {
    const answers = await Promise.all(["ping", "accounts", "offers"].map((path) => fetch(new URL(path, server.url))));
    for (const res of answers) console.log(await res.json());
  } finally {
    server.stop();
    await api.close();
  }
}
