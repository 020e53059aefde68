#!/usr/bin/env node
// Deno's view of the package, offline: type check of every entry point deno.json exports, type
// check of every TSDoc example in mod.ts and src/, doc lint of every entry point, and a JSR publish
// dry run. Deno resolves npm packages from the existing node_modules (deno.json: nodeModulesDir
// "manual"). Exits non-zero when any of them fails. The Redis store's examples are checked on their
// own and reported as a note, whose errors are findings, not failures: they pull Node's types into
// the program, whose CryptoKey clashes.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const deno = "node_modules/.bin/deno";
const { exports } = JSON.parse(readFileSync("deno.json", "utf8"));
const entries = typeof exports === "string" ? [exports] : Object.values(exports);
const sources = readdirSync("src", { recursive: true })
  .map((f) => `src/${f}`)
  .filter((f) => f.endsWith(".ts") && f !== "src/stores/redis.ts");
const checks = [
  ["deno check (every export)", ["check", ...entries], true],
  ["deno check --doc (mod.ts and every src module)", ["check", "--doc", "mod.ts", ...sources], true],
  ["deno doc --lint (every export)", ["doc", "--lint", ...entries], true],
  ["deno publish --dry-run", ["publish", "--dry-run", "--allow-dirty"], true],
  ["deno check --doc src/stores/redis.ts (note only)", ["check", "--doc", "src/stores/redis.ts"], false],
];
// Deno turns colours on whenever FORCE_COLOR is set, even to "0" (scripts/test.mjs sets it).
const { FORCE_COLOR: _, ...env } = process.env;
let failed = 0;
for (const [name, args, strict] of checks) {
  const run = spawnSync(deno, args, { encoding: "utf8", env: { ...env, NO_COLOR: "1" }, timeout: 120_000 });
  const ok = run.status === 0;
  if (!ok && strict) failed++;
  process.stdout.write(`${ok ? "ok  " : strict ? "FAIL" : "note"} ${name}\n`);
  if (!ok) {
    const text = (run.stdout + run.stderr + (run.error ? String(run.error) : "")).replace(/\x1b\[[0-9;]*m/g, "");
    // A note's errors are findings, not failures: each is shown once, labelled so, with where it is.
    const lines = strict
      ? text
      : text.split("\n").filter((l) => /\[ERROR\]|^\s+at file/.test(l)).map((l) => l.replace(/^(\S+) \[ERROR\]: /, "finding ($1): ").replace(/^\s+at file:\/\/\S*?\/((?:src|mod)\S*)$/, "  at $1")).join("\n");
    process.stdout.write(lines.replace(/^/gm, "    ") + "\n");
  }
}
process.exitCode = failed ? 1 : 0;
