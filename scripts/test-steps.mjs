// The steps `npm test` runs, in order, each in the package script (`npm run test:…`) that runs it
// alone. A step reports its counts as the last counts line of its standard output
// (scripts/counts.mjs); `single: true` counts a step as one check instead, passed or failed by its
// exit code (type checks, lints). `needs` names what a step needs from the machine
// (scripts/needs.mjs), which scripts/test.mjs provides before any step runs. `lane` and `cpu`:
// how it runs beside other steps (the lanes, below); a step without them is a busy step of the
// conformance lane.
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
  { script: "test:types", name: "typecheck: library (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], single: true, lane: "build" },
  { script: "test:types", name: "typecheck: tests (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.test.json"], single: true, lane: "build" },
  { script: "test:imports", name: "imports: no cycles in src/ and conformance/", cmd: "node", args: ["scripts/import-cycles.mjs", "--types", "src", "conformance"], single: true, lane: "checks" },
  // test/node/test-command.test.ts makes a real venv (python3 with venv) in a temporary folder.
  { script: "test:node", name: "node: unit tests", cmd: "node", args: [...tsx, "test/runtimes/node.ts"], needs: ["python3-venv"], lane: "checks" },
  { script: "test:deno", name: "deno: unit tests", cmd: deno, args: [...denoRun, "test/runtimes/deno.ts"], lane: "checks" },
  { script: "test:deno", name: "deno: conformance", cmd: deno, args: [...denoRun, "test/runtimes/conformance-deno.ts"], lane: "conformance", cpu: "light" },
  { script: "test:deno", name: "deno: check + doc lint + publish dry-run", cmd: "node", args: ["scripts/runtime-deno-check.mjs"], single: true, lane: "checks" },
  { script: "test:bun", name: "bun: unit tests", cmd: bun, args: ["test/runtimes/bun.ts"], lane: "checks" },
  { script: "test:bun", name: "bun: conformance", cmd: bun, args: [source, "test/runtimes/conformance-bun.ts"], lane: "conformance", cpu: "light" },
  { script: "test:workerd", name: "workerd: unit tests", cmd: "node", args: [...tsx, "test/runtimes/workerd.ts", "test/all.ts"], lane: "build" },
  { script: "test:workerd", name: "workerd: Workers semantics", cmd: "node", args: [...tsx, "test/runtimes/workerd-semantics.ts"], lane: "timing", cpu: "light" },
  { script: "test:workerd", name: "workerd: conformance", cmd: "node", args: [...tsx, "test/runtimes/workerd.ts", "--conformance"], lane: "conformance", cpu: "light" },
  // npm pack once, fresh projects install the tarballs offline: publint, attw, types (node16,
  // nodenext, bundler, no DOM, the oldest TypeScript claimed), require(), and the bin end to end.
  { script: "test:package", name: "node: packed package and command line", cmd: "node", args: [...tsx, "test/package/run.ts"], lane: "build" },
  { script: "test:conformance", name: "node: conformance (tokenkeeper)", cmd: "node", args: [...tsx, source, "conformance/node/cli.ts", "--subject", "tokenkeeper"], lane: "conformance", cpu: "light" },
  // 8 mutants at a time, not meta.ts's 16: 128 scenarios in one event loop held ERR-07's 300 ms
  // deadline past its 4 s bound on a loaded machine (1 run in 3 alone); 64 did not, for about 10 % more time.
  { script: "test:conformance", name: "node: conformance mutants", cmd: "node", args: [...tsx, source, "conformance/node/meta.ts", "--parallel", "8"], lane: "timing", cpu: "alone" },
  { script: "test:conformance", name: "node: conformance package tests", cmd: "node", args: [...tsx, source, "test/runtimes/node.ts", "conformance/test/node.ts"], lane: "conformance", cpu: "light" },
  // Non-conformance of a peer is a finding (docs/conformance-matrix.md), not a failure; a broken adapter is.
  { script: "test:conformance", name: "node: conformance peers", cmd: "node", args: [...tsx, source, "conformance/node/peers.ts"], lane: "checks" },
  { script: "test:stores", name: "node: stores (redis)", cmd: "node", args: [...tsx, "test/runtimes/node.ts", "test/node/store-redis.test.ts"], needs: ["redis-server"], lane: "timing", cpu: "alone" },
  { script: "test:stores", name: "deno: stores (Deno KV)", cmd: deno, args: ["run", "--unstable-kv", "--allow-env", "--allow-read", "--allow-write", "--allow-net", "--allow-sys", "test/stores/deno-kv.deno.ts"], lane: "checks" },
  { script: "test:stores", name: "workerd: stores (Workers KV)", cmd: "node", args: [...tsx, "test/stores/workers-kv.node.ts"], lane: "build" },
  { script: "test:stores", name: "workerd: stores (Durable Object)", cmd: "node", args: [...tsx, "test/stores/durable-object.node.ts"], lane: "build" },
  // oidc-provider, @node-oauth/oauth2-server and Authlib (in .venv/, made by scripts/interop-python.sh).
  { script: "test:interop", name: "node: real authorization servers", cmd: "node", args: [...tsx, "test/interop/run.ts"], needs: ["authlib-venv"], lane: "timing", cpu: "light" },
  { script: "test:examples", name: "examples: run on every runtime", cmd: "node", args: [...tsx, "examples/shared/run-all.ts"], needs: ["redis-server"], lane: "build" },
];


/**
 * The lanes, first first when several could start a step. Their steps run one after another;
 * the lanes run side by side within as many cores as the machine has (2 here), a step's `cpu`
 * saying what it takes (scripts/lanes.mjs): "light" (mostly waits) none, "busy" (the default)
 * one, "alone" all of them, as it keeps a core busy and bounds real time.
 */
export const lanes = [
  // Steps that bound real time, one at a time. Alone: the mutants (8 mutants x 8 scenarios at a
  // time in one event loop, each scenario held to fault deadlines of 4-20 s; they failed beside
  // two busy steps) and the Redis fleet (9 processes, a 1 s store timeout, a lock that must
  // expire). Light: the Workers semantics (dispatch deadlines, a Durable Object lock waited out
  // for real) and the real servers (a 12 s soak against 4 s tokens).
  "timing",
  // The suite on each runtime, light: its fault scenarios bound real time, and it mostly waits on them.
  "conformance",
  // Busy: tsc, tsx start-up, esbuild, npm, many processes. The type checks come before the package
  // step in one lane because that step rebuilds conformance/dist/, which tsconfig.test.json reads.
  "build",
  "checks",
];
