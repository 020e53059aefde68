#!/usr/bin/env node
// Deno's view of the package, offline: type check (with the TSDoc examples), doc lint, and a JSR
// publish dry run. Deno resolves npm packages from the existing node_modules (deno.json:
// nodeModulesDir "manual"). Exits non-zero when any of them fails.
import { spawnSync } from "node:child_process";

const deno = "node_modules/.bin/deno";
const checks = [
  ["deno check mod.ts", ["check", "mod.ts"]],
  ["deno check --doc mod.ts", ["check", "--doc", "mod.ts"]],
  ["deno doc --lint mod.ts", ["doc", "--lint", "mod.ts"]],
  ["deno publish --dry-run", ["publish", "--dry-run", "--allow-dirty"]],
];
let failed = 0;
for (const [name, args] of checks) {
  const run = spawnSync(deno, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
  const ok = run.status === 0;
  if (!ok) failed++;
  process.stdout.write(`${ok ? "ok  " : "FAIL"} ${name}\n`);
  if (!ok) process.stdout.write((run.stdout + run.stderr + (run.error ? String(run.error) : "")).replace(/^/gm, "    ") + "\n");
}
process.exitCode = failed ? 1 : 0;
