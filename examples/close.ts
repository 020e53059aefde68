// close(): stops the keeper's background work and refuses further calls. A script closes it when
// it is done; a server closes it on shutdown, after it stops taking requests.
import { createServer } from "node:http";
import { createTokenKeeper, type TokenKeeperOptions } from "tokenkeeper";

const options = {
  tokenEndpoint: "https://auth.example.com/oauth2/token",
  clientId: process.env.CLIENT_ID!,
  clientSecret: process.env.CLIENT_SECRET!,
  baseUrl: "https://api.example.com",
} satisfies TokenKeeperOptions;

const api = createTokenKeeper(options);

const server = createServer(async (request, response) => {
  const upstream = await api.fetch(`/v2${request.url}`);
  response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
});
server.listen(Number(process.env.PORT ?? 8080));

process.once("SIGTERM", () => {
  server.close(() => void api.close());
});

// In a script, `await using` closes the keeper at the end of the scope, even on error:
//   await using api = createTokenKeeper({ ... });

// For the demo: one request to our own server, then the SIGTERM a platform sends on shutdown. The
// process exits once the server and the keeper are closed.
await new Promise((resolve) => server.once("listening", resolve));
const { port } = server.address() as { port: number };
const res = await fetch(`http://localhost:${port}/accounts`);
console.log(await res.json());
process.kill(process.pid, "SIGTERM");
