// Runs every example on its runtime against the fake token server and API (fake-api.ts), after
// type-checking them (tsc for Node, Bun and Workers; deno check for Deno). The examples call the
// real URLs (https://auth.example.com, …); fake-network.ts, preloaded, reroutes those hosts to the
// fake served on 127.0.0.1, and in workerd Miniflare's outbound service does. Each example counts
// as one check; the last line is "examples: N passed, N failed".
//   node node_modules/tsx/dist/cli.mjs examples/shared/run-all.ts
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { createClient } from "redis";
import { startRedis } from "../../test/stores/redis-server.ts";
import { bundleWorkerFile, startWorkerd, type Workerd } from "../../test/workerd/miniflare.ts";
import { createFakeApi, EXAMPLE_CREDENTIALS, type FakeTokenRequest } from "./fake-api.ts";
import { isFakeHost } from "./fake-hosts.ts";
import { providerChecks } from "./providers.ts";
import { outputBlocks } from "./readme.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name: string): string => `${root}node_modules/.bin/${name}`;
const TIMEOUT_MS = 60_000;
/** Node examples run side by side, this many at a time. */
const PARALLEL = 4;

interface Outcome {
  ok: boolean;
  output: string;
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    // FORCE_COLOR (set by scripts/test.mjs, even as "0") turns Deno's colours on.
    const { FORCE_COLOR: _, ...inherited } = process.env;
    const child = spawn(cmd, args, { cwd: root, env: { ...inherited, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output: code === null ? `${output}\n(killed after ${TIMEOUT_MS} ms)` : output });
    });
  });
}

const tokenRequests: FakeTokenRequest[] = [];
const app = createFakeApi({ onTokenRequest: (request) => tokenRequests.push(request) });
const server: ServerType = await new Promise((resolve) => {
  const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
});
const port = (server.address() as { port: number }).port;
const env = {
  TOKENKEEPER_FAKE_NETWORK: `http://127.0.0.1:${port}`,
  CLIENT_ID: EXAMPLE_CREDENTIALS.clientId,
  CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret,
  CARDLYTICS_CLIENT_ID: EXAMPLE_CREDENTIALS.clientId,
  CARDLYTICS_CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret,
  PORT: "0", // servers the examples start (Bun, close.ts) take any free port
};

/** A Node example, with fake-network.ts (and any other module) loaded first. */
const node = (file: string, extra: Record<string, string> = {}, preload: string[] = []): Promise<Outcome> =>
  run("node", [`${root}node_modules/tsx/dist/cli.mjs`, "--conditions=tokenkeeper-source", ...["fake-network.ts", ...preload].flatMap((m) => ["--import", `./examples/shared/${m}`]), file], { ...env, ...extra });

/** Passes when every line of `wanted` is in the output. */
const printed = (outcome: Outcome, ...wanted: (string | RegExp)[]): Outcome => {
  const missing = wanted.filter((w) => (typeof w === "string" ? !outcome.output.includes(w) : !w.test(outcome.output)));
  return missing.length ? { ok: false, output: `${outcome.output}\nexpected in the output: ${missing.join(" | ")}\n` } : outcome;
};

/** Two fleet members, one after the other, on one throwaway redis-server: one token request in all. */
async function runSharedStore(): Promise<Outcome> {
  const redis = await startRedis();
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  const before = tokenRequests.length;
  let output = "";
  try {
    const extra = { REDIS_URL: redis.url, TOKEN_STORE_KEY: key };
    for (const member of ["first", "second"]) {
      const outcome = await node("examples/shared-store.ts", extra);
      output += `(${member} instance)\n${outcome.output}`;
      if (!outcome.ok) return { ok: false, output };
    }
    const client = await createClient({ url: redis.url }).connect();
    const keys = await client.keys("tokenkeeper:*");
    const values = await Promise.all(keys.map((k) => client.get(k)));
    await client.close();
    const sent = tokenRequests.length - before;
    output += `token requests: ${sent}; Redis keys: ${keys.length}\n`;
    const plaintext = values.some((value) => value?.includes("example-token-"));
    if (plaintext) output += "a token is stored in plain text, not encrypted\n";
    return { ok: sent === 1 && keys.length >= 1 && !plaintext, output };
  } finally {
    await redis.stop();
  }
}

/** examples/proxy.ts through a local CONNECT proxy that counts its tunnels. */
async function runProxy(): Promise<Outcome> {
  let tunnels = 0;
  const sockets = new Set<Socket>();
  const proxy = createHttpServer();
  proxy.on("connect", (request, client: Socket, head: Buffer) => {
    tunnels++;
    const [host, targetPort] = (request.url ?? "").split(":");
    const upstream = connect(Number(targetPort), host!, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  try {
    const outcome = await node("examples/proxy.ts", { HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as { port: number }).port}` });
    return printed({ ...outcome, output: `${outcome.output}proxy tunnels: ${tunnels}\n` }, /proxy tunnels: [1-9]/);
  } finally {
    for (const socket of sockets) socket.destroy();
    proxy.close();
  }
}

/** The README quotes what examples/mistakes.ts prints; the quote must still be true. */
async function runMistakes(): Promise<Outcome> {
  const outcome = await node("examples/mistakes.ts");
  const quotes = outputBlocks(readFileSync(`${root}README.md`, "utf8"), "examples/mistakes.ts");
  if (quotes.length === 0) return { ok: false, output: `${outcome.output}README.md quotes no output of examples/mistakes.ts (<!-- output: examples/mistakes.ts -->)\n` };
  const stale = quotes.filter((quote) => !outcome.output.includes(quote.text));
  if (stale.length) return { ok: false, output: `${outcome.output}README.md:${stale.map((q) => q.line).join(",")}: the quoted output is not what examples/mistakes.ts prints now\n` };
  return outcome;
}

/** The Workers examples, bundled as wrangler does, in one workerd with one worker each. */
const WORKERS = ["module-scope", "classic-handler", "kv-store"] as const;
let workerd: Promise<Map<string, Outcome>> | undefined;

/** A wrangler.toml's compatibility date and `[vars]`. */
function wranglerConfig(file: string): { compatibilityDate: string; vars: Record<string, string> } {
  const toml = readFileSync(`${root}${file}`, "utf8");
  const compatibilityDate = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1] ?? "";
  const vars = Object.fromEntries([...(toml.split(/^\[vars\]$/m)[1]?.split(/^\[/m)[0] ?? "").matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
  return { compatibilityDate, vars };
}

/** Sends the example hosts to `fake` and every other request to the network. */
const outboundTo = (fake: { fetch(request: Request): Response | Promise<Response> }) => (request: Request) => (isFakeHost(request.url) ? fake.fetch(request) : fetch(request));

function runWorkers(): Promise<Map<string, Outcome>> {
  return (workerd ??= (async () => {
    const { compatibilityDate, vars } = wranglerConfig("examples/workers/wrangler.toml");
    const bindings = { ...vars, CLIENT_ID: EXAMPLE_CREDENTIALS.clientId, CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret };
    const outcomes = new Map<string, Outcome>();
    let running: Workerd | undefined;
    try {
      running = await startWorkerd(await Promise.all(WORKERS.map(async (name) => ({
        name,
        script: await bundleWorkerFile(`examples/workers/${name}.ts`),
        compatibilityDate,
        bindings,
        kvNamespaces: ["TOKENS"],
        outboundService: outboundTo(app),
      }))));
      for (const name of WORKERS) {
        let log = "";
        const get = async (path: string): Promise<boolean> => {
          const res = await running!.fetch(`http://worker.example${path}`, { worker: name, deadlineMs: TIMEOUT_MS });
          log += `${path} ${res.status} ${await res.text()}\n`;
          return res.ok;
        };
        try {
          // Two concurrent requests, then one more: the second and third reuse the first token.
          const concurrent = await Promise.all([get("/ping"), get("/accounts")]);
          const after = await get("/offers");
          let ok = concurrent.every(Boolean) && after;
          if (name === "kv-store") {
            const stored = await running.kvKeyCount("TOKENS", name);
            log += `Workers KV keys: ${stored}\n`;
            ok &&= stored >= 1;
          }
          outcomes.set(name, { ok, output: log });
        } catch (error) {
          outcomes.set(name, { ok: false, output: `${log}${String((error as Error)?.message ?? error)}\n` });
        }
      }
    } catch (error) {
      for (const name of WORKERS) outcomes.set(name, { ok: false, output: String((error as Error)?.message ?? error) });
    } finally {
      const logs = running?.logs() ?? "";
      await running?.dispose().catch(() => {});
      if (logs) for (const [name, outcome] of outcomes) outcomes.set(name, { ...outcome, output: `${outcome.output}workerd:\n${logs}` });
    }
    return outcomes;
  })());
}

/**
 * The Durable Object example as a fleet: three isolates of the worker, bound as its wrangler.toml
 * says, against a fake of their own; three concurrent requests on each. It passes when all are
 * answered and the fake issued one token.
 */
async function runFleetWorker(): Promise<Outcome> {
  const { compatibilityDate, vars } = wranglerConfig("examples/workers/durable-object/wrangler.toml");
  const toml = readFileSync(`${root}examples/workers/durable-object/wrangler.toml`, "utf8");
  const binding = toml.match(/^\[\[durable_objects\.bindings\]\]\s*\nname\s*=\s*"([^"]+)"\s*\nclass_name\s*=\s*"([^"]+)"/m);
  if (!binding) return { ok: false, output: "examples/workers/durable-object/wrangler.toml binds no Durable Object\n" };
  const [, bindingName, className] = binding as unknown as [string, string, string];
  let tokenRequests = 0;
  const fleetFake = createFakeApi({ onTokenRequest: () => void tokenRequests++ });
  let output = "";
  let running: Workerd | undefined;
  try {
    const script = await bundleWorkerFile("examples/workers/durable-object/worker.ts");
    running = await startWorkerd(["a", "b", "c"].map((name) => ({
      name,
      script,
      compatibilityDate,
      bindings: { ...vars, CLIENT_ID: EXAMPLE_CREDENTIALS.clientId, CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret },
      durableObjects: { [bindingName]: { className, scriptName: "a" } },
      outboundService: outboundTo(fleetFake),
    })));
    const answers = await Promise.all(["a", "b", "c"].flatMap((worker) => ["/ping", "/accounts", "/offers"].map(async (path) => {
      const res = await running!.fetch(`http://worker.example${path}`, { worker, deadlineMs: TIMEOUT_MS });
      output += `${worker} ${path} ${res.status} ${await res.text()}\n`;
      return res.ok;
    })));
    output += `token requests for 9 requests over 3 isolates: ${tokenRequests}\n`;
    return { ok: answers.every(Boolean) && tokenRequests === 1, output: output + running.logs() };
  } catch (error) {
    return { ok: false, output: `${output}${running?.logs() ?? ""}${String((error as Error)?.message ?? error)}\n` };
  } finally {
    await running?.dispose().catch(() => {});
  }
}

const worker = (name: (typeof WORKERS)[number]) => async (): Promise<Outcome> => (await runWorkers()).get(name)!;
const api = /"ok":\s*true|ok: true/;

/** [name, run, what the output must show]; `alone` checks run before the others, one at a time. */
const checks: { name: string; run: () => Promise<Outcome>; expect?: RegExp; alone?: boolean }[] = [
  { name: "type-check examples (tsc)", run: () => run("node", [`${root}node_modules/typescript/bin/tsc`, "-p", "examples/tsconfig.json"], {}) },
  { name: "type-check examples/deno (deno check)", run: () => run(bin("deno"), ["check", "examples/deno/main.ts"], {}) },
  { name: "type-check examples/workers/durable-object (tsc)", run: () => run("node", [`${root}node_modules/typescript/bin/tsc`, "-p", "examples/workers/durable-object/tsconfig.json"], {}) },
  { name: "node examples/shared-store.ts (two instances, Redis)", run: runSharedStore, expect: api, alone: true },
  ...["node/quickstart", "cardlytics", "get-token", "scope", "auth0-audience", "close", "ky", "ofetch", "openapi-fetch", "axios"].map((file) => ({
    name: `node examples/${file}.ts`,
    run: () => node(`examples/${file}.ts`),
    expect: api,
  })),
  { name: "node examples/proxy.ts (through a CONNECT proxy)", run: runProxy, expect: api },
  ...providerChecks((file, extra) => node(file, extra)),
  { name: "node examples/errors.ts", run: () => node("examples/errors.ts"), expect: /check the client configuration: .*invalid_client/ },
  { name: "node examples/logging.ts", run: () => node("examples/logging.ts"), expect: /"type":"token_fetched".*"name":"billing-api"/ },
  {
    name: "node examples/opentelemetry.ts (in-memory OpenTelemetry)",
    run: async () => printed(await node("examples/opentelemetry.ts", {}, ["otel-memory.ts"]), 'otel span "tokenkeeper token request" status=UNSET', '"outcome":"fetched"', "otel metric tokenkeeper.token_request.duration record number", '"tokenkeeper.source":"memory"'),
    expect: api,
  },
  { name: "node examples/mistakes.ts (as README.md quotes it)", run: runMistakes, expect: /# plain http/ },
  {
    name: "deno examples/deno/main.ts",
    run: () => run(bin("deno"), ["run", "--allow-env", "--allow-read", "--allow-net=127.0.0.1", "--preload", "examples/shared/fake-network.ts", "examples/deno/main.ts"], env),
    expect: api,
  },
  { name: "bun examples/bun/main.ts", run: () => run(bin("bun"), ["--conditions=tokenkeeper-source", "--preload", "./examples/shared/fake-network.ts", "examples/bun/main.ts"], env), expect: api },
  ...WORKERS.map((name) => ({ name: `workerd examples/workers/${name}.ts`, run: worker(name), expect: api })),
  { name: "workerd examples/workers/durable-object/worker.ts (3 isolates, one token request)", run: runFleetWorker, expect: api },
];

/** Every example file is run by some check (so every README snippet runs too). */
function everyExampleRuns(): Promise<Outcome> {
  const files = readdirSync(`${root}examples`, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.startsWith("shared"))
    .map((file) => `examples/${file.replaceAll("\\", "/")}`);
  const unrun = files.filter((file) => !checks.some((check) => check.name.includes(` ${file}`)));
  return Promise.resolve({ ok: unrun.length === 0, output: unrun.length ? `not run by any check: ${unrun.join(", ")}\n` : "" });
}
checks.push({ name: "every example file is run by a check", run: everyExampleRuns });

/** What no example may print: the client secret, or an access token. */
const leak = new RegExp(`${EXAMPLE_CREDENTIALS.clientSecret}|example-token-\\d`);

async function judge(check: (typeof checks)[number]): Promise<Outcome> {
  const outcome = await check.run();
  const plain = outcome.output.replace(/\x1b\[[0-9;]*m/g, "");
  const problems = [
    ...(check.expect && !check.expect.test(plain) ? [`expected the output to match ${check.expect}`] : []),
    ...(leak.test(plain) ? ["the output shows the client secret or an access token"] : []),
  ];
  return { ok: outcome.ok && problems.length === 0, output: problems.length ? `${outcome.output}${problems.join("\n")}\n` : outcome.output };
}

let passed = 0;
let failed = 0;
try {
  const results = new Map<(typeof checks)[number], Promise<Outcome>>();
  for (const check of checks.filter((c) => c.alone)) {
    results.set(check, judge(check));
    await results.get(check);
  }
  void runWorkers(); // one workerd for the three Workers examples, started early: it is the slowest
  // The rest side by side, PARALLEL at a time, reported in order.
  const slots = new Set<Promise<unknown>>();
  for (const check of checks.filter((c) => !c.alone)) {
    while (slots.size >= PARALLEL) await Promise.race(slots);
    const result = judge(check);
    results.set(check, result);
    const slot = result.finally(() => slots.delete(slot));
    slots.add(slot);
  }
  for (const check of checks) {
    const outcome = await results.get(check)!;
    if (outcome.ok) passed++;
    else failed++;
    process.stdout.write(`${outcome.ok ? "ok  " : "FAIL"} ${check.name}\n`);
    if (!outcome.ok || process.env["VERBOSE"]) process.stdout.write(outcome.output.replace(/^/gm, "    ") + "\n");
  }
} finally {
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  server.close();
}
process.stdout.write(`examples: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
