// Runs every example on its runtime against the fake token server and API (fake-api.ts), after
// type-checking them (tsc for Node, Bun and Workers; deno check for Deno). The examples call the
// real URLs (https://auth.example.com, …); fake-network.ts, preloaded, reroutes those hosts to the
// fake served on 127.0.0.1. The Workers examples run as `wrangler dev --env local` does, their
// settings pointing at the fake; examples/edge in Vercel's edge-runtime. Each example counts as
// one check; the last line is "examples: N passed, N failed".
//   node node_modules/tsx/dist/cli.mjs examples/shared/run-all.ts
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";
import { createClient } from "redis";
import { startRedis } from "../../test/stores/redis-server.ts";
import { bundleWorkerFile, startWorkerd, type Workerd } from "../../test/workerd/miniflare.ts";
import { createFakeApi, EXAMPLE_CREDENTIALS, type FakeApiOptions, type FakeTokenRequest } from "./fake-api.ts";
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
const node = (file: string, extra: Record<string, string> = {}, preload: string[] = [], flags: string[] = []): Promise<Outcome> =>
  run("node", [`${root}node_modules/tsx/dist/cli.mjs`, "--conditions=tokenkeeper-source", ...flags, ...["fake-network.ts", ...preload].flatMap((m) => ["--import", `./examples/shared/${m}`]), file], { ...env, ...extra });

/** A fake token server and API of its own on 127.0.0.1, for a check that counts its token requests. */
async function withOwnFake<T>(options: FakeApiOptions, use: (origin: string) => Promise<T>): Promise<T> {
  const own: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: createFakeApi(options).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  try {
    return await use(`http://127.0.0.1:${(own.address() as { port: number }).port}`);
  } finally {
    (own as { closeAllConnections?: () => void }).closeAllConnections?.();
    own.close();
  }
}

/**
 * examples/undici.ts against a fake API that refuses the first token issued (401 invalid_token,
 * as after a revocation): the interceptor must get a second token and send the request again.
 */
const runUndici = (): Promise<Outcome> => withOwnFake({ revokeFirstTokens: 1 }, async (origin) =>
  printed(await node("examples/undici.ts", { TOKENKEEPER_FAKE_NETWORK: origin }), /^200 .*tokenRequests: 2\b/m, /^200 .*received: \{ item/m));

/**
 * examples/nextjs/ as Next.js runs it: the route handler under the react-server condition; and
 * the keeper's module without it, as a client bundle would import it, which must throw.
 */
async function runNext(): Promise<Outcome> {
  const route = await node("examples/shared/next-route.ts", {}, [], ["--conditions=react-server"]);
  const client = await node("examples/nextjs/lib/partner-api.ts");
  const refused = !client.ok && client.output.includes("This module cannot be imported from a Client Component module");
  const output = `(route handler, react-server)\n${route.output}(lib/partner-api.ts in a client bundle)\n${client.output}${refused ? "" : "importing it outside react-server did not throw\n"}`;
  return { ok: route.ok && refused, output };
}

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

/**
 * examples/edge/handler.ts in Vercel's Edge Runtime (the edge-runtime package), bundled as Vercel
 * bundles an Edge Function (the edge-light condition), its settings in `process.env`, against a
 * fake of its own over loopback http: three concurrent requests must share one token request.
 */
async function runEdge(): Promise<Outcome> {
  let tokenRequests = 0;
  return withOwnFake({ onTokenRequest: () => void tokenRequests++ }, async (origin) => {
    const bundle = await build({
      entryPoints: [`${root}examples/edge/handler.ts`],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "edgeFunction",
      platform: "browser",
      conditions: ["tokenkeeper-source", "edge-light", "worker"],
      target: "es2022",
      logLevel: "error",
    });
    // Vercel calls the default export with the request and a context; edge-runtime dispatches FetchEvents.
    const initialCode = `${bundle.outputFiles[0]!.text}
addEventListener("fetch", (event) => event.respondWith(edgeFunction.default(event.request, { waitUntil: (promise) => event.waitUntil(promise) })));`;
    const processEnv = { TOKEN_ENDPOINT: `${origin}/oauth2/token`, API_BASE_URL: origin, CLIENT_ID: EXAMPLE_CREDENTIALS.clientId, CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret };
    const runtime = new EdgeRuntime({ initialCode, extend: (context) => Object.assign(context, { process: { env: processEnv } }) });
    let output = "";
    const answers = await Promise.all(["/ping", "/accounts", "/offers"].map(async (path) => {
      const res = await runtime.dispatchFetch(`http://edge.example${path}`);
      output += `${path} ${res.status} ${await res.text()}\n`;
      await res.waitUntil();
      return res.status === 200;
    }));
    output += `token requests for 3 concurrent requests: ${tokenRequests}\n`;
    return { ok: answers.every(Boolean) && tokenRequests === 1, output };
  });
}

/**
 * The Workers examples, bundled as wrangler does, in one workerd with one worker each, run as
 * `wrangler dev --env local` runs them: the `[env.local]` settings of their wrangler file and the
 * secret in `.dev.vars.local`, against the fake token server and API over loopback http. The fake
 * listens on a free port rather than the 8788 those files name (another run may hold it): the
 * runner swaps the origin, as a developer whose 8788 is taken would in `.dev.vars.local`.
 */
const WORKERS = { "module-scope": "wrangler.toml", "classic-handler": "wrangler.toml", "kv-store": "wrangler.kv-store.toml" } as const;
type WorkerName = keyof typeof WORKERS;
let workerd: Promise<Map<string, Outcome>> | undefined;

/** What wrangler reads of one environment of a wrangler file (vars and bindings are not inherited). */
interface WranglerEnvironment {
  compatibilityDate: string;
  vars: Record<string, string>;
  kvNamespaces: string[];
  durableObjects: { name: string; className: string }[];
}

/**
 * The top level of a wrangler.toml (`environment` undefined) or one `[env.NAME]` of it: the subset
 * of TOML these files use (tables, arrays of tables, string values), and the environment's
 * `.dev.vars.NAME` secrets merged into its vars, as `wrangler dev --env NAME` does.
 */
function wranglerEnvironment(file: string, environment?: string): WranglerEnvironment {
  const tables = new Map<string, Record<string, string>[]>([["", [{}]]]);
  let current = tables.get("")!.at(-1)!;
  for (const line of readFileSync(`${root}${file}`, "utf8").split("\n")) {
    const header = line.match(/^(\[\[?)\s*([\w.]+)\s*\]\]?\s*$/);
    if (header) {
      const list = tables.get(header[2]!) ?? [];
      if (header[1] === "[" && list.length) current = list[0]!;
      else list.push((current = {}));
      tables.set(header[2]!, list);
      continue;
    }
    const pair = line.match(/^(\w+)\s*=\s*"([^"]*)"/);
    if (pair) current[pair[1]!] = pair[2]!;
  }
  const prefix = environment === undefined ? "" : `env.${environment}.`;
  const secrets = environment === undefined ? {} : Object.fromEntries(
    [...readFileSync(`${root}${file.replace(/[^/]*$/, "")}.dev.vars.${environment}`, "utf8").matchAll(/^(\w+)="?([^"\n]*)"?$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  return {
    compatibilityDate: tables.get("")![0]!["compatibility_date"] ?? "",
    vars: { ...tables.get(`${prefix}vars`)?.[0], ...secrets },
    kvNamespaces: (tables.get(`${prefix}kv_namespaces`) ?? []).map((t) => t["binding"]!),
    durableObjects: (tables.get(`${prefix}durable_objects.bindings`) ?? []).map((t) => ({ name: t["name"]!, className: t["class_name"]! })),
  };
}

/** The vars of `[env.local]` with the fake's real origin in place of 127.0.0.1:8788. */
const towards = (vars: Record<string, string>, origin: string): Record<string, string> =>
  Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, value.replace("http://127.0.0.1:8788", origin)]));

function runWorkers(): Promise<Map<string, Outcome>> {
  return (workerd ??= (async () => {
    const names = Object.keys(WORKERS) as WorkerName[];
    const outcomes = new Map<string, Outcome>();
    let running: Workerd | undefined;
    try {
      const specs = await Promise.all(names.map(async (name) => {
        const { compatibilityDate, vars, kvNamespaces } = wranglerEnvironment(`examples/workers/${WORKERS[name]}`, "local");
        return { name, script: await bundleWorkerFile(`examples/workers/${name}.ts`), compatibilityDate, bindings: towards(vars, `http://127.0.0.1:${port}`), kvNamespaces };
      }));
      running = await startWorkerd(specs);
      for (const name of names) {
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
          } else {
            // An example that does not use KV binds none, in production or locally.
            const bound = [...wranglerEnvironment(`examples/workers/${WORKERS[name]}`).kvNamespaces, ...specs.find((s) => s.name === name)!.kvNamespaces];
            if (bound.length) log += `examples/workers/${WORKERS[name]} binds a KV namespace it does not use: ${bound.join(", ")}\n`;
            ok &&= bound.length === 0;
          }
          outcomes.set(name, { ok, output: log });
        } catch (error) {
          outcomes.set(name, { ok: false, output: `${log}${String((error as Error)?.message ?? error)}\n` });
        }
      }
    } catch (error) {
      for (const name of names) outcomes.set(name, { ok: false, output: String((error as Error)?.message ?? error) });
    } finally {
      const logs = running?.logs() ?? "";
      await running?.dispose().catch(() => {});
      if (logs) for (const [name, outcome] of outcomes) outcomes.set(name, { ...outcome, output: `${outcome.output}workerd:\n${logs}` });
    }
    return outcomes;
  })());
}

/**
 * The Durable Object example as a fleet: three isolates of the worker, bound as the `[env.local]`
 * of its wrangler.toml says, against a fake of their own over loopback http; three concurrent
 * requests on each. It passes when all are answered and the fake issued one token.
 */
async function runFleetWorker(): Promise<Outcome> {
  const { compatibilityDate, vars, durableObjects } = wranglerEnvironment("examples/workers/durable-object/wrangler.toml", "local");
  const binding = durableObjects[0];
  if (!binding) return { ok: false, output: "examples/workers/durable-object/wrangler.toml binds no Durable Object in [env.local]\n" };
  let tokenRequests = 0;
  return withOwnFake({ onTokenRequest: () => void tokenRequests++ }, async (origin) => {
    let output = "";
    let running: Workerd | undefined;
    try {
      const script = await bundleWorkerFile("examples/workers/durable-object/worker.ts");
      running = await startWorkerd(["a", "b", "c"].map((name) => ({
        name,
        script,
        compatibilityDate,
        bindings: towards(vars, origin),
        durableObjects: { [binding.name]: { className: binding.className, scriptName: "a" } },
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
  });
}

const worker = (name: WorkerName) => async (): Promise<Outcome> => (await runWorkers()).get(name)!;
const api = /"ok":\s*true|ok: true/;

/** [name, run, what the output must show]; `alone` checks run before the others, one at a time. */
const checks: { name: string; run: () => Promise<Outcome>; expect?: RegExp; alone?: boolean }[] = [
  { name: "type-check examples (tsc)", run: () => run("node", [`${root}node_modules/typescript/bin/tsc`, "-p", "examples/tsconfig.json"], {}) },
  { name: "type-check examples/deno (deno check)", run: () => run(bin("deno"), ["check", "examples/deno/main.ts"], {}) },
  { name: "type-check examples/workers/durable-object (tsc)", run: () => run("node", [`${root}node_modules/typescript/bin/tsc`, "-p", "examples/workers/durable-object/tsconfig.json"], {}) },
  { name: "node examples/shared-store.ts (two instances, Redis)", run: runSharedStore, expect: api, alone: true },
  ...["node/quickstart", "cardlytics", "get-token", "scope", "auth0-audience", "close", "ky", "ofetch", "openapi-fetch", "axios", "hono", "express"].map((file) => ({
    name: `node examples/${file}.ts`,
    run: () => node(`examples/${file}.ts`),
    expect: api,
  })),
  { name: "node examples/proxy.ts (through a CONNECT proxy)", run: runProxy, expect: api },
  { name: "node examples/undici.ts (the first token revoked: one retry with a new token)", run: runUndici, expect: api },
  {
    name: "node examples/nextjs/app/api/accounts/route.ts (--conditions=react-server; examples/nextjs/lib/partner-api.ts throws in a client bundle)",
    run: runNext,
    expect: api,
  },
  {
    name: "node examples/testing/reports.test.ts (node:test: examples/testing/reports.ts against examples/testing/fake-token-server.ts)",
    run: () => node("examples/testing/reports.test.ts"),
    expect: /^# pass 4$[\s\S]*^# fail 0$/m,
  },
  { name: "node examples/errors.ts", run: () => node("examples/errors.ts"), expect: /check the client id and secret: invalid_client \(401\)\n.*check the client configuration: .*invalid_client/ },
  { name: "node examples/logging.ts", run: () => node("examples/logging.ts"), expect: /"type":"token_fetched".*"name":"billing-api"/ },
  {
    name: "node examples/opentelemetry.ts (in-memory OpenTelemetry)",
    run: async () => printed(await node("examples/opentelemetry.ts", {}, ["otel-memory.ts"]), 'otel span "tokenkeeper token request" status=UNSET', '"outcome":"fetched"', "otel metric tokenkeeper.token_request.duration record number", '"tokenkeeper.source":"memory"'),
    expect: api,
  },
  { name: "node examples/mistakes.ts (as README.md quotes it)", run: runMistakes, expect: /# plain http/ },
  // Identity providers and mTLS, each against fakes that keep the provider's documented contract.
  ...providerChecks((file, extra) => node(file, extra)),
  {
    name: "deno examples/deno/main.ts",
    run: () => run(bin("deno"), ["run", "--allow-env", "--allow-read", "--allow-net=127.0.0.1", "--preload", "examples/shared/fake-network.ts", "examples/deno/main.ts"], env),
    expect: api,
  },
  { name: "bun examples/bun/main.ts", run: () => run(bin("bun"), ["--conditions=tokenkeeper-source", "--preload", "./examples/shared/fake-network.ts", "examples/bun/main.ts"], env), expect: api },
  { name: "edge-runtime examples/edge/handler.ts (3 concurrent requests, one token request)", run: runEdge, expect: api },
  ...(Object.keys(WORKERS) as WorkerName[]).map((name) => ({ name: `workerd examples/workers/${name}.ts (wrangler dev --env local)`, run: worker(name), expect: api })),
  { name: "workerd examples/workers/durable-object/worker.ts (--env local; 3 isolates, one token request)", run: runFleetWorker, expect: api },
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
