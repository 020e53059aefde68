// The Redis store against a real redis-server (started here on a free loopback port): the store
// contract with node-redis v5 and with ioredis, then the fleet proofs: 8 Node processes and 1 Deno
// process sharing one Redis and one token server. Run by its own `npm test` step (needs
// redis-server); test/runtimes/node.ts leaves store-*.test.ts files to that step.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { build } from "esbuild";
import { Hono } from "hono";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { redisStore } from "../../src/stores/redis.ts";
import { storeContract } from "../stores/contract.ts";
import { credentialContract } from "../stores/credentials.ts";
import { startRedis } from "../stores/redis-server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// The fleet runs one bundle of test/stores/fleet-child.ts (packages left as imports, resolved from
// node_modules): 9 processes start in about a second instead of compiling TypeScript 9 times.
const CHILD = `${ROOT}.scratch/store-fleet/child-${process.pid}.mjs`;
mkdirSync(`${ROOT}.scratch/store-fleet`, { recursive: true });
process.on("exit", () => rmSync(CHILD, { force: true }));
await build({ entryPoints: [`${ROOT}test/stores/fleet-child.ts`], bundle: true, platform: "node", format: "esm", packages: "external", outfile: CHILD, logLevel: "error" });

const redis = await startRedis();
const nodeRedis = await createClient({ url: redis.url }).connect();
const ioredis = new Redis(redis.url);
// The outage proof stops Redis under these clients too.
nodeRedis.on("error", () => {});
ioredis.on("error", () => {});
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Redis expires keys on its own clock: the lock tests wait out a 100 ms TTL for real.
const redisContract = { lockTtlMs: 100, expireLocks: () => wait(150), atomicLock: true };
storeContract("Redis (node-redis v5)", redisStore(nodeRedis, { prefix: "contract-node-redis:" }), redisContract);
storeContract("Redis (ioredis)", redisStore(ioredis, { prefix: "contract-ioredis:" }), redisContract);
credentialContract("Redis", (options) => redisStore(nodeRedis, { prefix: `credentials-${crypto.randomUUID()}:`, ...options }));

const adapter = suite("Redis adapter");

adapter("set() writes with PX, so Redis drops the value after the TTL", async () => {
  await redisStore(nodeRedis, { prefix: "px:" }).set("k", "v", 299_999.5);
  const ttl = await nodeRedis.pTTL("px:k");
  assert.ok(ttl > 290_000 && ttl <= 300_000, String(ttl));
});

adapter("lock() is SET NX PX on the prefixed key, and release() deletes only the owner's value", async () => {
  const store = redisStore(ioredis, { prefix: "lk:" });
  const lock = await store.lock!("k", 5_000);
  assert.ok(lock);
  const owner = await ioredis.get("lk:k");
  assert.match(String(owner), /^[0-9a-f-]{36}$/);
  assert.ok((await ioredis.pttl("lk:k")) > 4_000);
  await ioredis.set("lk:k", "someone-else");
  await lock.release();
  assert.is(await ioredis.get("lk:k"), "someone-else");
});

adapter("a node-redis and an ioredis instance share one lock and one value", async () => {
  const a = redisStore(nodeRedis, { prefix: "mix:" });
  const b = redisStore(ioredis, { prefix: "mix:" });
  await a.set("k", "shared", 60_000);
  assert.is(await b.get("k"), "shared");
  const lock = await b.lock!("l", 60_000);
  assert.ok(lock);
  assert.is(await a.lock!("l", 60_000), undefined);
});

adapter("redisStore() refuses an object that is neither client", () => {
  assert.throws(() => redisStore({} as never), /node-redis v5 client \(sendCommand\) or an ioredis client \(call\)/);
});

adapter.run();

// ---- fleet proofs ----

interface Fired {
  event: "fired";
  served: number;
  failed: number;
  tokens: string[];
  errors: string[];
  events: Record<string, number>;
}

/** A token server on loopback that counts requests and can hang the first one. */
async function startTokenServer() {
  const state = {
    requests: [] as string[],
    /** Token requests answered invalid_client (a wrong secret). */
    rejected: 0,
    hangFirst: false,
    onHang: (_pid: string) => {},
    hung: [] as (() => void)[],
    url: "",
    close: async () => {},
  };
  const app = new Hono();
  app.post("/token", async (c) => {
    const body = new URLSearchParams(await c.req.text());
    if (body.get("client_secret") !== "fleet-secret" || body.get("grant_type") !== "client_credentials") {
      state.rejected += 1;
      return c.json({ error: "invalid_client" }, 401);
    }
    const pid = c.req.header("x-fleet-child") ?? "?";
    state.requests.push(pid);
    if (state.hangFirst && state.requests.length === 1) {
      state.onHang(pid);
      await new Promise<void>((resolve) => state.hung.push(resolve));
      return c.json({ error: "temporarily_unavailable" }, 503);
    }
    return c.json({ access_token: `fleet-${state.requests.length}-${crypto.randomUUID()}`, token_type: "Bearer", expires_in: 300 }, 200, { "cache-control": "no-store" });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
  state.close = async () => {
    for (const release of state.hung) release();
    server.close();
  };
  return state;
}

/** One fleet member: a child process running test/stores/fleet-child.ts. */
class Instance {
  readonly child: ChildProcess;
  readonly runtime: "node" | "deno";
  readonly #messages: Record<string, unknown>[] = [];
  readonly #waiters: (() => void)[] = [];
  #stderr = "";

  constructor(runtime: "node" | "deno", env: Record<string, string | undefined>) {
    this.runtime = runtime;
    const [cmd, args] = runtime === "node"
      ? ["node", [CHILD]]
      : ["node_modules/.bin/deno", ["run", "--allow-env", "--allow-read", "--allow-net", "--allow-sys", CHILD]];
    this.child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      try {
        this.#messages.push(JSON.parse(line));
      } catch {
        this.#stderr += line + "\n";
      }
      this.#waiters.splice(0).forEach((wake) => wake());
    });
    this.child.stderr!.on("data", (chunk: Buffer) => void (this.#stderr += chunk));
    this.child.stdin!.on("error", () => {}); // writes to an instance the test killed
    this.child.on("exit", () => this.#waiters.splice(0).forEach((wake) => wake()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(command: object): void {
    this.child.stdin!.write(JSON.stringify(command) + "\n");
  }

  /** The next message of type `event`; rejects if the process exits first or after 120 s (a loaded CI machine). */
  async next<T = Record<string, unknown>>(event: string): Promise<T> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const index = this.#messages.findIndex((m) => m["event"] === event);
      if (index >= 0) return this.#messages.splice(index, 1)[0] as T;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`${this.runtime} instance ${this.pid} exited before "${event}":\n${this.#stderr}`);
      if (Date.now() > deadline) throw new Error(`${this.runtime} instance ${this.pid}: no "${event}" within 120 s:\n${this.#stderr}`);
      await new Promise<void>((wake) => {
        this.#waiters.push(wake);
        setTimeout(wake, 1_000);
      });
    }
  }

  async fire(n: number): Promise<Fired> {
    this.send({ cmd: "fire", n });
    return this.next<Fired>("fired");
  }

  async advance(ms: number): Promise<void> {
    this.send({ cmd: "advance", ms });
    await this.next("advanced");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exit = once(this.child, "exit");
    this.send({ cmd: "exit" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exit;
    clearTimeout(timer);
  }
}

const STORE_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const CALLS = 500;

/** 8 Node instances (node-redis and ioredis alternately) and 1 Deno instance, all ready. */
async function startFleet(tokenUrl: string, prefix: string): Promise<Instance[]> {
  const env = (client: string) => ({ REDIS_URL: redis.url, TOKEN_URL: tokenUrl, PREFIX: prefix, STORE_KEY, CLIENT: client });
  const fleet = [
    ...Array.from({ length: 8 }, (_, i) => new Instance("node", env(i % 2 === 0 ? "node-redis" : "ioredis"))),
    new Instance("deno", env("node-redis")),
  ];
  const started = Date.now();
  await Promise.all(fleet.map((instance) => instance.next("ready")));
  if (process.env["FLEET_VERBOSE"]) process.stdout.write(`\n  fleet ready in ${Date.now() - started} ms\n`);
  return fleet;
}

const measured: string[] = [];
const fleetSuite = suite("fleet sharing one Redis (8 Node + 1 Deno processes)");
let fleet: Instance[] = [];
let tokens: Awaited<ReturnType<typeof startTokenServer>> | undefined;

fleetSuite.after.each(async () => {
  await Promise.all(fleet.map((instance) => instance.stop()));
  fleet = [];
  await tokens?.close();
  tokens = undefined;
});

fleetSuite(`9 instances firing ${CALLS} concurrent getToken() each on a cold cache send exactly 1 token request`, async () => {
  tokens = await startTokenServer();
  fleet = await startFleet(tokens.url, "cold:");
  const results = await Promise.all(fleet.map((instance) => instance.fire(CALLS)));
  for (const r of results) assert.equal([r.served, r.failed, r.errors], [CALLS, 0, []]);
  assert.is(new Set(results.flatMap((r) => r.tokens)).size, 1, "every instance got the same token");
  assert.is(results.filter((r) => (r.events["token_served:store"] ?? 0) > 0).length, 8, "8 instances took the token from Redis");
  assert.is(tokens.requests.length, 1);
  measured.push(`cold cache, 9 instances x ${CALLS} calls: ${tokens.requests.length} token request`);
});

fleetSuite("when the lock holder is killed mid-refresh every other caller is still served, with 1 extra token request", async () => {
  tokens = await startTokenServer();
  fleet = await startFleet(tokens.url, "killed:");
  let killed: Instance | undefined;
  tokens.hangFirst = true;
  tokens.onHang = (pid) => {
    killed = fleet.find((instance) => String(instance.pid) === pid);
    killed?.child.kill("SIGKILL");
  };
  const started = Date.now();
  const pending = fleet.map((instance) => instance.fire(CALLS).catch(() => undefined));
  const results = await Promise.all(pending);
  assert.ok(killed, "the instance that sent the first token request was killed");
  const survivors = results.filter((r, i) => fleet[i] !== killed);
  assert.is(survivors.length, 8);
  for (const r of survivors) assert.equal([r!.served, r!.failed, r!.errors], [CALLS, 0, []]);
  assert.is(new Set(survivors.flatMap((r) => r!.tokens)).size, 1);
  // The hung request, then one request by whichever instance takes the lock once it expires.
  assert.is(tokens.requests.length, 2);
  assert.is(new Set(tokens.requests).size, 2, "the second request came from another instance");
  measured.push(`lock holder (${killed.runtime}) killed mid-refresh: ${tokens.requests.length} token requests (1 extra), ${survivors.length * CALLS} calls served in ${Date.now() - started} ms`);
});

fleetSuite("a process with a wrong client secret gets invalid_client, never the fleet's token; two with the right one share 1 token request", async () => {
  tokens = await startTokenServer();
  const env = (secret?: string) => ({ REDIS_URL: redis.url, TOKEN_URL: tokens!.url, PREFIX: "credentials:", STORE_KEY, CLIENT: "node-redis", CLIENT_SECRET: secret });
  fleet = [new Instance("node", env()), new Instance("node", env()), new Instance("node", env("fleet-secret-mistyped"))];
  await Promise.all(fleet.map((instance) => instance.next("ready")));
  const [first, second] = await Promise.all([fleet[0]!.fire(CALLS), fleet[1]!.fire(CALLS)]);
  const wrong = await fleet[2]!.fire(CALLS);
  for (const r of [first!, second!]) assert.equal([r.served, r.failed, r.errors], [CALLS, 0, []]);
  assert.equal(new Set([...first!.tokens, ...second!.tokens]).size, 1, "the two right processes got the same token");
  assert.is(tokens.requests.length, 1, "one token request between them");
  assert.equal([wrong.served, wrong.tokens, wrong.errors], [0, [], ["OAUTH_ERROR invalid_client"]]);
  assert.is(wrong.events["token_served:store"], undefined, "nothing came from the store");
  assert.is(tokens.rejected, 1, "the wrong secret went to the token endpoint, once for 500 calls");
  measured.push(`credential in the store key: 2 processes with the right secret, 1 token request; 1 with a wrong secret, ${tokens.rejected} invalid_client answer, served 0 of ${CALLS} calls`);
});

fleetSuite("when Redis stops mid-run no call fails: memory serves, refreshes fall back to the token endpoint", async () => {
  tokens = await startTokenServer();
  fleet = await startFleet(tokens.url, "outage:");
  const warm = await Promise.all(fleet.map((instance) => instance.fire(CALLS)));
  for (const r of warm) assert.is(r.failed, 0);
  assert.is(tokens.requests.length, 1);

  await redis.stop();
  assert.not.ok(redis.running);
  const fresh = await Promise.all(fleet.map((instance) => instance.fire(CALLS)));
  for (const r of fresh) assert.equal([r.served, r.failed], [CALLS, 0]);
  assert.is(tokens.requests.length, 1, "a fresh token in memory needs neither Redis nor the token endpoint");

  // 60 s before expiry: inside the soft window, callers get the cached token at once and one
  // background refresh per instance finds Redis down and goes to the token endpoint.
  await Promise.all(fleet.map((instance) => instance.advance(240_000)));
  const soft = await Promise.all(fleet.map((instance) => instance.fire(CALLS)));
  for (const r of soft) assert.equal([r.served, r.failed], [CALLS, 0]);
  await wait(1_500); // lets most background refreshes (a 1 s store timeout, then the token endpoint) finish
  const afterSoft = tokens.requests.length;

  // Past every token's expiry: callers wait, the store times out, the token endpoint serves them.
  await Promise.all(fleet.map((instance) => instance.advance(600_000)));
  const expired = await Promise.all(fleet.map((instance) => instance.fire(CALLS)));
  for (const r of expired) assert.equal([r.served, r.failed, r.errors], [CALLS, 0, []]);
  const storeErrors = [...soft, ...expired].reduce((n, r) => n + (r.events["store_error"] ?? 0), 0);
  assert.ok(storeErrors >= 9, `store_error events: ${storeErrors}`);
  // Without the store each instance refreshes on its own: at most one request per instance for the
  // soft-window refresh and one after expiry (a refresh still under way is joined, not repeated).
  const outageRequests = tokens.requests.length - 1;
  assert.ok(outageRequests <= 18, `token requests during the outage: ${outageRequests}`);
  measured.push(`Redis stopped: 0 failed calls of ${4 * 9 * CALLS}; token requests: 1 before the outage, ${outageRequests} during it (${afterSoft - 1} soft-window refreshes seen within 1.5 s, the rest after expiry; bound 2 per instance); ${storeErrors} store_error events`);
});

fleetSuite.after(async () => {
  await nodeRedis.destroy();
  ioredis.disconnect();
  await redis.stop();
  process.stdout.write(`\n${measured.map((line) => `  measured: ${line}`).join("\n")}\n`);
});

fleetSuite.run();
