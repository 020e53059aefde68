// The steps `npm test` runs, each in the package script (`npm run test:…`) that runs it alone, in
// the order of the summary. A step reports its counts as the last counts line of its standard
// output (scripts/counts.mjs); `single: true` counts a step as one check instead, passed or failed
// by its exit code (type checks, lints). Below the steps: how they run side by side (`lanes`,
// `cpu`) and what they need from the machine (`stepNeeds`, scripts/needs.mjs), by step name.
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
  { script: "test:node", name: "node: unit tests", cmd: "node", args: [...tsx, "test/runtimes/node.ts"] },
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
  // 8 mutants at a time, not meta.ts's 16: 128 scenarios in one event loop held ERR-07's 300 ms
  // deadline past its 4 s bound on a loaded machine (1 run in 3 alone); 64 did not, for about 10 % more time.
  { script: "test:conformance", name: "node: conformance mutants", cmd: "node", args: [...tsx, source, "conformance/node/meta.ts", "--parallel", "8"] },
  { script: "test:conformance", name: "node: conformance package tests", cmd: "node", args: [...tsx, source, "test/runtimes/node.ts", "conformance/test/node.ts"] },
  // Non-conformance of a peer is a finding (docs/conformance-matrix.md), not a failure; a broken adapter is.
  { script: "test:conformance", name: "node: conformance peers", cmd: "node", args: [...tsx, source, "conformance/node/peers.ts"] },
  // Clients in other languages over the JSON-lines protocol (conformance/PROTOCOL.md; its own tests
  // are among the package tests above), from Debian packages (.ci/run installs them), one step per
  // library: its non-conformance is a finding; a program that does not build, start or keep the
  // protocol fails.
  { script: "test:conformance", name: "node: conformance (Go x/oauth2)", cmd: "node", args: [...tsx, source, "conformance/node/polyglot.ts", "go-x-oauth2"] },
  { script: "test:conformance", name: "node: conformance (Python Authlib)", cmd: "node", args: [...tsx, source, "conformance/node/polyglot.ts", "authlib"] },
  { script: "test:conformance", name: "node: conformance (Ruby oauth2)", cmd: "node", args: [...tsx, source, "conformance/node/polyglot.ts", "ruby-oauth2"] },
  { script: "test:stores", name: "node: stores (redis)", cmd: "node", args: [...tsx, "test/runtimes/node.ts", "test/node/store-redis.test.ts"] },
  { script: "test:stores", name: "deno: stores (Deno KV)", cmd: deno, args: ["run", "--unstable-kv", "--allow-env", "--allow-read", "--allow-write", "--allow-net", "--allow-sys", "test/stores/deno-kv.deno.ts"] },
  { script: "test:stores", name: "workerd: stores (Workers KV)", cmd: "node", args: [...tsx, "test/stores/workers-kv.node.ts"] },
  { script: "test:stores", name: "workerd: stores (Durable Object)", cmd: "node", args: [...tsx, "test/stores/durable-object.node.ts"] },
  // oidc-provider, @node-oauth/oauth2-server and Authlib (in .venv/, made by scripts/interop-python.sh).
  { script: "test:interop", name: "node: real authorization servers", cmd: "node", args: [...tsx, "test/interop/run.ts"] },
  { script: "test:examples", name: "examples: run on every runtime", cmd: "node", args: [...tsx, "examples/shared/run-all.ts"] },
];

/**
 * The lanes, each with its steps by name in the order they run; the lanes run side by side, the
 * first listed first when several could start a step (scripts/lanes.mjs). A step in no lane runs
 * last in the conformance lane. Sized for a 2-core machine: the CPU-bound steps that bound real
 * time run first, beside the light conformance steps only, then the busy steps two at a time
 * beside the light ones left.
 * @type {Record<string, string[]>}
 */
export const lanes = {
  // Steps that bound real time, one at a time. Alone (see `cpu`): the mutants, the Redis fleet,
  // the real servers. Light: the Workers semantics (dispatch deadlines, a Durable Object lock
  // waited out for real).
  timing: ["node: conformance mutants", "node: stores (redis)", "node: real authorization servers", "workerd: Workers semantics"],
  // The longest step (about 120 s), from the start, beside the alone steps (see `cpu`): in the
  // conformance lane it started after the four runtimes' suites and ended some 35 s later, with
  // two busy steps beside it all that while.
  package: ["node: conformance package tests"],
  // The suite on each runtime: its fault scenarios bound real time, and it mostly waits on them.
  conformance: ["deno: conformance", "bun: conformance", "workerd: conformance", "node: conformance (tokenkeeper)"],
  // The busy steps in two lanes of about 130 s each (measured step by step in a whole run: wall
  // time beside the other lanes). The type checks come before the package step in one lane because
  // that step rebuilds conformance/dist/, which tsconfig.test.json reads.
  build: ["typecheck: library (tsc)", "typecheck: tests (tsc)", "node: packed package and command line", "workerd: stores (Workers KV)", "workerd: stores (Durable Object)", "examples: run on every runtime", "node: conformance (Ruby oauth2)"],
  checks: ["imports: no cycles in src/ and conformance/", "node: unit tests", "workerd: unit tests", "deno: unit tests", "bun: unit tests", "deno: check + doc lint + publish dry-run", "node: conformance peers", "deno: stores (Deno KV)", "node: conformance (Go x/oauth2)", "node: conformance (Python Authlib)"],
};

/**
 * What a step takes of the CPU beside the others, when not "busy" (keeps about a core busy, one
 * of the cores): "light" mostly waits and takes none; "alone" keeps a core busy and bounds real
 * time, so it runs beside light steps only.
 * @type {Record<string, import("./lanes.d.mts").Cpu>}
 */
export const cpu = {
  // 8 mutants x 8 scenarios at a time in one event loop, each scenario held to fault deadlines
  // of 4-20 s: beside two busy steps, ERR-07's 300 ms deadline went past its 4 s bound.
  "node: conformance mutants": "alone",
  // 9 processes, a 1 s store timeout, a lock that must expire.
  "node: stores (redis)": "alone",
  // A 12 s soak against 4 s tokens: a refresh starts 1-1.25 s before expiry, and more than one
  // token sent in its last second (which Authlib and oidc-provider may end early) fails it, so a
  // refresh slower than about 250 ms can. Beside two busy steps on a loaded machine, 3 were.
  "node: real authorization servers": "alone",
  "workerd: Workers semantics": "light",
  "deno: conformance": "light",
  "bun: conformance": "light",
  "workerd: conformance": "light",
  "node: conformance (tokenkeeper)": "light",
  // Not light by CPU: about 90 s of CPU in 120 s (reference.test.ts starts some 230 Node programs).
  // Classed light so that it runs beside the alone steps, as it always has: their recorded failures
  // were beside two busy steps; as a busy step it would hold all three back until it ended.
  "node: conformance package tests": "light",
};

/** What a step needs from the machine, by step name: names in scripts/needs.mjs. @type {Record<string, string[]>} */
export const stepNeeds = {
  // test/node/test-command.test.ts makes a real venv in a temporary folder.
  "node: unit tests": ["python3-venv"],
  "node: packed package and command line": ["openssl"],
  "node: conformance (tokenkeeper)": ["openssl"],
  "node: conformance mutants": ["openssl"],
  "node: conformance package tests": ["openssl", "python3", "ruby"],
  "node: conformance peers": ["openssl"],
  "node: stores (redis)": ["redis-server"],
  "node: real authorization servers": ["authlib-venv", "openssl"],
  "examples: run on every runtime": ["redis-server"],
  "node: conformance (Go x/oauth2)": ["openssl", "go-x-oauth2"],
  "node: conformance (Python Authlib)": ["openssl", "python3-authlib"],
  "node: conformance (Ruby oauth2)": ["openssl", "ruby-oauth2"],
};
