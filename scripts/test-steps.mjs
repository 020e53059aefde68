// The steps `npm test` runs, in order, each in the package script (`npm run test:…`) that runs it
// alone. A step reports its counts as the last counts line of its standard output
// (scripts/counts.mjs); `single: true` counts a step as one check instead, passed or failed by its
// exit code (type checks, lints). `needs` names what a step needs from the machine
// (scripts/needs.mjs), which scripts/test.mjs provides before any step runs.
const tsx = ["node_modules/tsx/dist/cli.mjs"];
// The conformance package imports "tokenkeeper"; this export condition resolves it to the
// repository's TypeScript sources (package.json "exports") instead of the unbuilt dist/.
const source = "--conditions=tokenkeeper-source";
// Deno resolves npm packages from the existing node_modules (deno.json: nodeModulesDir "manual").
const denoRun = ["run", "--allow-env", "--allow-read", "--allow-net", "--allow-sys"];
const deno = "node_modules/.bin/deno";
const bun = "node_modules/.bin/bun";

/** @type {import("./test-steps.d.mts").Step[]} */
export const steps = [
  { script: "test:types", name: "typecheck: library (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], single: true },
  { script: "test:types", name: "typecheck: tests (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.test.json"], single: true },
  { script: "test:imports", name: "imports: no cycles in src/ and conformance/", cmd: "node", args: ["scripts/import-cycles.mjs", "--types", "src", "conformance"], single: true },
  // test/node/test-command.test.ts makes a real venv (python3 with venv) in a temporary folder.
  { script: "test:node", name: "node: unit tests", cmd: "node", args: [...tsx, "test/runtimes/node.ts"], needs: ["python3-venv"] },
  { script: "test:deno", name: "deno: unit tests", cmd: deno, args: [...denoRun, "test/runtimes/deno.ts"] },
  { script: "test:deno", name: "deno: conformance", cmd: deno, args: [...denoRun, "test/runtimes/conformance-deno.ts"] },
  { script: "test:deno", name: "deno: check + doc lint + publish dry-run", cmd: "node", args: ["scripts/runtime-deno-check.mjs"], single: true },
  { script: "test:bun", name: "bun: unit tests", cmd: bun, args: ["test/runtimes/bun.ts"] },
  { script: "test:bun", name: "bun: conformance", cmd: bun, args: [source, "test/runtimes/conformance-bun.ts"] },
  { script: "test:workerd", name: "workerd: unit tests", cmd: "node", args: [...tsx, "test/runtimes/workerd.ts", "test/all.ts"] },
  { script: "test:workerd", name: "workerd: Workers semantics", cmd: "node", args: [...tsx, "test/runtimes/workerd-semantics.ts"] },
  { script: "test:workerd", name: "workerd: conformance", cmd: "node", args: [...tsx, "test/runtimes/workerd.ts", "--conformance"] },
  // npm pack once, fresh projects install the tarballs offline: publint, attw, types (node16,
  // nodenext, bundler, no DOM, the oldest TypeScript claimed), require(), and the bin end to end.
  { script: "test:package", name: "node: packed package and command line", cmd: "node", args: [...tsx, "test/package/run.ts"] },
  { script: "test:conformance", name: "node: conformance (tokenkeeper)", cmd: "node", args: [...tsx, source, "conformance/node/cli.ts", "--subject", "tokenkeeper"] },
  { script: "test:conformance", name: "node: conformance mutants", cmd: "node", args: [...tsx, source, "conformance/node/meta.ts"] },
  { script: "test:conformance", name: "node: conformance package tests", cmd: "node", args: [...tsx, source, "test/runtimes/node.ts", "conformance/test/node.ts"] },
  // Non-conformance of a peer is a finding (docs/conformance-matrix.md), not a failure; a broken adapter is.
  { script: "test:conformance", name: "node: conformance peers", cmd: "node", args: [...tsx, source, "conformance/node/peers.ts"] },
  { script: "test:stores", name: "node: stores (redis)", cmd: "node", args: [...tsx, "test/runtimes/node.ts", "test/node/store-redis.test.ts"], needs: ["redis-server"] },
  { script: "test:stores", name: "deno: stores (Deno KV)", cmd: deno, args: ["run", "--unstable-kv", "--allow-env", "--allow-read", "--allow-write", "--allow-net", "--allow-sys", "test/stores/deno-kv.deno.ts"] },
  { script: "test:stores", name: "workerd: stores (Workers KV)", cmd: "node", args: [...tsx, "test/stores/workers-kv.node.ts"] },
  { script: "test:stores", name: "workerd: stores (Durable Object)", cmd: "node", args: [...tsx, "test/stores/durable-object.node.ts"] },
  // oidc-provider, @node-oauth/oauth2-server and Authlib (in .venv/, made by scripts/interop-python.sh).
  { script: "test:interop", name: "node: real authorization servers", cmd: "node", args: [...tsx, "test/interop/run.ts"], needs: ["authlib-venv"] },
  { script: "test:examples", name: "examples: run on every runtime", cmd: "node", args: [...tsx, "examples/shared/run-all.ts"], needs: ["redis-server"] },
];
