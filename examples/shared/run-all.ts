// Runs every example on its runtime against the fake API (examples/shared/fake-api.ts) served on
// 127.0.0.1, after type-checking them (tsc for Node, Bun and Workers; deno check for Deno).
// Each example counts as one check; the last line is "examples: N passed, N failed".
//   node node_modules/tsx/dist/cli.mjs examples/shared/run-all.ts
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { bundleWorkerFile, startWorkerd, type Workerd } from "../../test/workerd/miniflare.ts";
import { createFakeApi, EXAMPLE_CREDENTIALS } from "./fake-api.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name: string): string => `${root}node_modules/.bin/${name}`;
const tsx = [`${root}node_modules/tsx/dist/cli.mjs`];
const TIMEOUT_MS = 60_000;

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

/** The worker example in workerd: bundled like wrangler does, two concurrent requests, then one more. */
async function runWorker(env: Record<string, string>): Promise<Outcome> {
  const toml = readFileSync(`${root}examples/workers/wrangler.toml`, "utf8");
  const compatibilityDate = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1] ?? "";
  let output = "";
  let workerd: Workerd | undefined;
  try {
    workerd = await startWorkerd({
      script: await bundleWorkerFile("examples/workers/worker.ts"),
      compatibilityDate,
      bindings: {
        TOKEN_ENDPOINT: env["TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT"]!,
        API_BASE_URL: env["TOKENKEEPER_EXAMPLE_API"]!,
        CLIENT_ID: env["CLIENT_ID"]!,
        CLIENT_SECRET: env["CLIENT_SECRET"]!,
      },
    });
    const get = async (path: string): Promise<boolean> => {
      const res = await workerd!.fetch(`http://worker.example${path}`, { deadlineMs: TIMEOUT_MS });
      const text = await res.text();
      output += `${path} ${res.status} ${text}\n`;
      return res.ok;
    };
    const concurrent = await Promise.all([get("/ping"), get("/accounts")]);
    const after = await get("/offers");
    return { ok: concurrent.every(Boolean) && after, output: output + workerd.logs() };
  } catch (error) {
    return { ok: false, output: `${output}${workerd?.logs() ?? ""}${String((error as Error)?.message ?? error)}\n` };
  } finally {
    await workerd?.dispose().catch(() => {});
  }
}

/**
 * The Durable Object example as a fleet: three isolates of the worker, bound as its wrangler.toml
 * says, against a fake API of its own; three concurrent requests on each. It passes when all are
 * answered and the fake API issued one token.
 */
async function runFleetWorker(): Promise<Outcome> {
  const toml = readFileSync(`${root}examples/workers/durable-object/wrangler.toml`, "utf8");
  const compatibilityDate = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1] ?? "";
  const binding = toml.match(/^\[\[durable_objects\.bindings\]\]\s*\nname\s*=\s*"([^"]+)"\s*\nclass_name\s*=\s*"([^"]+)"/m);
  if (!binding) return { ok: false, output: "examples/workers/durable-object/wrangler.toml binds no Durable Object\n" };
  const [, bindingName, className] = binding as unknown as [string, string, string];
  const api = await serveFakeApi();
  let output = "";
  let workerd: Workerd | undefined;
  try {
    const script = await bundleWorkerFile("examples/workers/durable-object/worker.ts");
    workerd = await startWorkerd(["a", "b", "c"].map((name) => ({
      name,
      script,
      compatibilityDate,
      bindings: { TOKEN_ENDPOINT: `${api.origin}/token`, API_BASE_URL: api.origin, CLIENT_ID: EXAMPLE_CREDENTIALS.clientId, CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret },
      durableObjects: { [bindingName]: { className, scriptName: "a" } },
    })));
    const answers = await Promise.all(["a", "b", "c"].flatMap((worker) => ["/ping", "/accounts", "/offers"].map(async (path) => {
      const res = await workerd!.fetch(`http://worker.example${path}`, { worker, deadlineMs: TIMEOUT_MS });
      const text = await res.text();
      output += `${worker} ${path} ${res.status} ${text}\n`;
      return { ok: res.ok, tokenRequests: (JSON.parse(text) as { tokenRequests?: number }).tokenRequests };
    })));
    const tokenRequests = Math.max(...answers.map((a) => a.tokenRequests ?? Infinity));
    output += `token requests for 9 requests over 3 isolates: ${tokenRequests}\n`;
    return { ok: answers.every((a) => a.ok) && tokenRequests === 1, output: output + workerd.logs() };
  } catch (error) {
    return { ok: false, output: `${output}${workerd?.logs() ?? ""}${String((error as Error)?.message ?? error)}\n` };
  } finally {
    await workerd?.dispose().catch(() => {});
    api.close();
  }
}

/** The fake API on a free loopback port. */
async function serveFakeApi(): Promise<{ origin: string; close(): void }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: createFakeApi().fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const address = server.address();
  return {
    origin: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close();
    },
  };
}

const fake = await serveFakeApi();
const origin = fake.origin;
const env = {
  TOKENKEEPER_EXAMPLE_TOKEN_ENDPOINT: `${origin}/token`,
  TOKENKEEPER_EXAMPLE_API: origin,
  CLIENT_ID: EXAMPLE_CREDENTIALS.clientId,
  CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret,
  CARDLYTICS_CLIENT_ID: EXAMPLE_CREDENTIALS.clientId,
  CARDLYTICS_CLIENT_SECRET: EXAMPLE_CREDENTIALS.clientSecret,
};
const deno = (file: string): [string, string[]] => [bin("deno"), ["run", "--allow-env", "--allow-read", "--allow-net=127.0.0.1", file]];

const checks: [string, () => Promise<Outcome>][] = [
  ["type-check examples (tsc)", () => run("node", [`${root}node_modules/typescript/bin/tsc`, "-p", "examples/tsconfig.json"], {})],
  ["type-check examples/workers/durable-object (tsc)", () => run("node", [`${root}node_modules/typescript/bin/tsc`, "-p", "examples/workers/durable-object/tsconfig.json"], {})],
  ["type-check examples/deno (deno check)", () => run(bin("deno"), ["check", "examples/deno/main.ts"], {})],
  ["node examples/node/quickstart.ts", () => run("node", [...tsx, "examples/node/quickstart.ts"], env)],
  ["node examples/cardlytics.ts", () => run("node", [...tsx, "examples/cardlytics.ts"], env)],
  ["node examples/with-fetch-client.ts", () => run("node", [...tsx, "examples/with-fetch-client.ts"], env)],
  ["deno examples/deno/main.ts", () => run(...deno("examples/deno/main.ts"), env)],
  ["bun examples/bun/main.ts", () => run(bin("bun"), ["examples/bun/main.ts"], env)],
  ["workerd examples/workers/worker.ts", () => runWorker(env)],
  ["workerd examples/workers/durable-object (3 isolates)", () => runFleetWorker()],
];

let passed = 0;
let failed = 0;
try {
  for (const [name, check] of checks) {
    const outcome = await check();
    // An example passes when it exits cleanly after the fake API answered it.
    const plain = outcome.output.replace(/\x1b\[[0-9;]*m/g, "");
    const answered = name.startsWith("type-check") || /"ok":\s*true|ok: true/.test(plain);
    const ok = outcome.ok && answered;
    if (ok) passed++;
    else failed++;
    process.stdout.write(`${ok ? "ok  " : "FAIL"} ${name}\n`);
    if (!ok || process.env["VERBOSE"]) process.stdout.write(outcome.output.replace(/^/gm, "    ") + "\n");
  }
} finally {
  fake.close();
}
process.stdout.write(`examples: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
