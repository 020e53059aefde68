// Try tokenkeeper without an account anywhere: serves the fake token server and API on
// 127.0.0.1, then runs the Node quick start against it (fake-network.ts sends the quick start's
// auth.example.com and api.example.com requests there).
//   npm run example
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createFakeApi, EXAMPLE_CREDENTIALS } from "./fake-api.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const server = serve({ fetch: createFakeApi().fetch, hostname: "127.0.0.1", port: 0 });
await new Promise((resolve) => server.once("listening", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`fake token server and API on ${origin}`);

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
