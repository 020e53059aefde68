#!/usr/bin/env node
// Runs every test step (type check, unit tests, conformance, on every runtime), streams their
// output, and ends with one line: "N passed, N failed", totals over every step.
import { spawn } from "node:child_process";
import { steps } from "./test-steps.mjs";

const only = process.argv.slice(2);
const selected = only.length ? steps.filter((s) => only.some((o) => s.name.includes(o))) : steps;

/** Sums uvu's "Total:" and "Passed:" summaries (and our own "N passed, N failed" lines). */
function count(output) {
  let total = 0, passed = 0, found = false;
  const clean = output.replace(/\x1b\[[0-9;]*m/g, "");
  for (const m of clean.matchAll(/^\s*Total:\s+(\d+)\s*$/gm)) total += Number(m[1]), found = true;
  for (const m of clean.matchAll(/^\s*Passed:\s+(\d+)\s*$/gm)) passed += Number(m[1]);
  for (const m of clean.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed\s*$/gm)) {
    passed += Number(m[1]), total += Number(m[1]) + Number(m[2]), found = true;
  }
  return { found, passed, failed: total - passed };
}

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.cmd, step.args, { env: { ...process.env, ...step.env, FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk) => { output += chunk; process.stdout.write(chunk); };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => {
      let { found, passed, failed } = step.single ? { found: true, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 } : count(output);
      if (!found) failed += 1; // a step that reports nothing has failed to run its tests
      if (code !== 0 && failed === 0) failed = 1; // a non-zero exit is a failure even if counts look clean
      resolve({ name: step.name, passed, failed, code, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (const step of selected) {
  process.stdout.write(`\n=== ${step.name} ===\n`);
  results.push(await run(step));
}
process.stdout.write("\n=== summary ===\n");
for (const r of results) {
  process.stdout.write(`${r.name.padEnd(36)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds.toFixed(1)}s\n`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
