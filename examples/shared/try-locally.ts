// Try tokenkeeper without an account anywhere: serves the fake token server and API on
// 127.0.0.1, then runs the Node quick start against it (fake-network.ts sends the quick start's
// auth.example.com and api.example.com requests there).
//   npm run example
// With --serve, it only serves the fake, on 127.0.0.1:8788 (or the port given), until Ctrl-C: a
// token endpoint (POST /oauth2/token, client "example-client", secret "example-secret") and an API
// (/v2/*) for `wrangler dev --env local` or anything else running on this machine.
//   npm run example -- --serve [port]
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createFakeApi, EXAMPLE_CREDENTIALS } from "./fake-api.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const serveOnly = process.argv.indexOf("--serve");
const port = serveOnly === -1 ? 0 : Number(process.argv[serveOnly + 1] ?? 8788);
const server = serve({ fetch: createFakeApi().fetch, hostname: "127.0.0.1", port });
await new Promise((resolve) => server.once("listening", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`fake token server and API on ${origin}`);
if (serveOnly !== -1) {
  console.log(`token endpoint ${origin}/oauth2/token (client_id ${EXAMPLE_CREDENTIALS.clientId}), API ${origin}/v2/…; Ctrl-C stops it`);
  await new Promise(() => {}); // until the process is stopped
}

const child = spawn(
  process.execPath,
  [`${root}node_modules/tsx/dist/cli.mjs`, "--conditions=tokenkeeper-source", "--import", "./examples/shared/fake-network.ts", "examples/node/quickstart.ts"],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TOKENKEEPER_FAKE_NETWORK: origin, CLIENT_ID: EXAMPLE_CREDENTIALS.clientId, CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret },
  },
);
const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
server.close();
process.exitCode = code ?? 1;
