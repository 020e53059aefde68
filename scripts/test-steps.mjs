// The steps `npm test` runs, in order. `single: true` counts a step as one check (pass or fail by
// exit code); otherwise its uvu summaries are summed.
const tsx = ["node_modules/tsx/dist/cli.mjs"];
// The conformance package imports "tokenkeeper"; this export condition resolves it to the
// repository's TypeScript sources (package.json "exports") instead of the unbuilt dist/.
const source = "--conditions=tokenkeeper-source";
// Deno resolves npm packages from the existing node_modules (deno.json: nodeModulesDir "manual").
const denoRun = ["run", "--allow-env", "--allow-read", "--allow-net", "--allow-sys"];

/** @type {{ name: string, cmd: string, args: string[], env?: Record<string,string>, single?: boolean }[]} */
export const steps = [
  { name: "typecheck: library (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], single: true },
  { name: "typecheck: tests (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.test.json"], single: true },
  { name: "node: unit tests", cmd: "node", args: [...tsx, "test/runtimes/node.ts"] },
  { name: "deno: unit tests", cmd: "node_modules/.bin/deno", args: [...denoRun, "test/runtimes/deno.ts"] },
  { name: "bun: unit tests", cmd: "node_modules/.bin/bun", args: ["test/runtimes/bun.ts"] },
  { name: "workerd: unit tests", cmd: "node", args: [...tsx, "test/runtimes/workerd.ts", "test/all.ts"] },
  { name: "workerd: Workers semantics", cmd: "node", args: [...tsx, "test/runtimes/workerd-semantics.ts"] },
  { name: "deno: check + doc lint + publish dry-run", cmd: "node", args: ["scripts/runtime-deno-check.mjs"], single: true },
  { name: "node: conformance (tokenkeeper)", cmd: "node", args: [...tsx, source, "conformance/node/cli.ts", "--subject", "tokenkeeper"] },
  { name: "node: conformance mutants", cmd: "node", args: [...tsx, source, "conformance/node/meta.ts"] },
  { name: "node: conformance package tests", cmd: "node", args: [...tsx, source, "conformance/test/node.ts"] },
  // Non-conformance of a peer is a finding (docs/conformance-matrix.md), not a failure; a broken adapter is.
  { name: "node: conformance peers", cmd: "node", args: [...tsx, source, "conformance/node/peers.ts"] },
  { name: "deno: conformance", cmd: "node_modules/.bin/deno", args: [...denoRun, "test/runtimes/conformance-deno.ts"] },
  { name: "bun: conformance", cmd: "node_modules/.bin/bun", args: [source, "test/runtimes/conformance-bun.ts"] },
  { name: "workerd: conformance", cmd: "node", args: [...tsx, "test/runtimes/workerd.ts", "--conformance"] },
  // oidc-provider, @node-oauth/oauth2-server and Authlib (needs .venv/: scripts/interop-python.sh).
  { name: "node: real authorization servers", cmd: "node", args: [...tsx, "test/interop/run.ts"] },
  { name: "node: stores (redis)", cmd: "node", args: [...tsx, "test/node/store-redis.test.ts"] },
  { name: "deno: stores (Deno KV)", cmd: "node_modules/.bin/deno", args: ["run", "--unstable-kv", "--allow-env", "--allow-read", "--allow-write", "--allow-net", "--allow-sys", "test/stores/deno-kv.deno.ts"] },
  { name: "workerd: stores (Workers KV)", cmd: "node", args: [...tsx, "test/stores/workers-kv.node.ts"] },
  { name: "workerd: stores (Durable Object)", cmd: "node", args: [...tsx, "test/stores/durable-object.node.ts"] },
  { name: "examples: run on every runtime", cmd: "node", args: [...tsx, "examples/shared/run-all.ts"] },
];
