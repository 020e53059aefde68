// One instance of a fleet for test/node/store-redis.test.ts, run as a child process by Node (tsx)
// or Deno. It builds a keeper on the shared Redis and the test's token server, then obeys JSON
// lines on stdin and answers with JSON lines on stdout:
//   {"cmd":"fire","n":500}      n concurrent getToken() -> {"event":"fired",served,failed,tokens,errors,events}
//   {"cmd":"advance","ms":1000} moves this instance's clock -> {"event":"advanced"}
//   {"cmd":"exit"}              closes the keeper and the client, then exits
// Environment: REDIS_URL, TOKEN_URL, CLIENT ("node-redis" | "ioredis"), PREFIX, STORE_KEY (base64 AES
// key), and CLIENT_SECRET (default "fleet-secret", the one the test's token server accepts).
import process from "node:process";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { clock, createTokenKeeper, type TokenKeeperEvent } from "../../mod.ts";
import { shortHash } from "../../src/lib/events.ts";
import { redisStore } from "../../src/stores/redis.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fleet child: ${name} is not set`);
  return value;
};

const send = (message: object): void => void process.stdout.write(JSON.stringify(message) + "\n");

const url = env("REDIS_URL");
const flavour = env("CLIENT");
// Clients that fail fast while Redis is down would hide the store timeout; these queue commands
// offline (both libraries' default), the worst case for a keeper.
const client = flavour === "ioredis"
  ? new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 200 })
  : createClient({ url, socket: { reconnectStrategy: () => 200 } });
client.on("error", () => {}); // reconnection noise while Redis is stopped
if (client instanceof Redis) await client.connect();
else await client.connect();

const rawKey = Uint8Array.from(atob(env("STORE_KEY")), (c) => c.charCodeAt(0));
const encryptionKey = await crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["encrypt", "decrypt"]);

let offsetMs = 0;
const events = new Map<string, number>();
const count = (event: TokenKeeperEvent): void => {
  const name = event.type === "token_served" ? `token_served:${event.source}` : event.type;
  events.set(name, (events.get(name) ?? 0) + 1);
};

const keeper = createTokenKeeper({
  tokenEndpoint: env("TOKEN_URL"),
  clientId: "fleet-client",
  clientSecret: process.env["CLIENT_SECRET"] ?? "fleet-secret",
  timeoutMs: 2_000,
  store: redisStore(client, { prefix: env("PREFIX"), encryptionKey }),
  onEvent: count,
  [clock]: { now: () => Date.now() + offsetMs },
  // Tells the token server which instance sent a request, so the test can kill the lock holder.
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("x-fleet-child", String(process.pid));
    return fetch(input, { ...init, headers });
  },
});

async function fire(n: number): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: n }, () => keeper.getToken()));
  const tokens = new Set<string>();
  const errors = new Set<string>();
  for (const r of results) {
    if (r.status === "fulfilled") tokens.add(shortHash(r.value.accessToken));
    else {
      const { code, error } = r.reason as { code?: string; error?: string };
      errors.add(code === undefined ? String(r.reason) : error === undefined ? code : `${code} ${error}`);
    }
  }
  send({
    event: "fired",
    served: results.filter((r) => r.status === "fulfilled").length,
    failed: results.filter((r) => r.status === "rejected").length,
    tokens: [...tokens],
    errors: [...errors],
    events: Object.fromEntries(events),
  });
  events.clear();
}

const lines = createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  const command = JSON.parse(line) as { cmd: string; n?: number; ms?: number };
  if (command.cmd === "fire") await fire(command.n ?? 1);
  else if (command.cmd === "advance") {
    offsetMs += command.ms ?? 0;
    send({ event: "advanced" });
  } else if (command.cmd === "exit") {
    await keeper.close();
    process.exit(0);
  }
});
// The test process went away: so does this instance.
lines.on("close", () => process.exit(0));
send({ event: "ready", pid: process.pid, runtime: typeof (globalThis as { Deno?: unknown }).Deno === "object" ? "deno" : "node" });
