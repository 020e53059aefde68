#!/usr/bin/env node
// Runs test steps (scripts/test-steps.mjs) and ends with one line, "N passed, N failed", the
// totals over every step. Each step's counts are its last counts line (scripts/counts.mjs), or its
// exit code for a `single` step; a step that ran no counted test, or exited non-zero with nothing
// failed, counts as one failure. Exits non-zero on any failure.
//
// Before the steps it provisions what they need from the machine (scripts/needs.mjs,
// scripts/provision.mjs). Steps run in lanes (`lanes` and `cpu` in scripts/test-steps.mjs,
// scripts/lanes.mjs): the lanes run side by side within the machine's cores, the steps of a lane
// one after another. Each step's output is held and printed whole when the step ends, so steps
// that run side by side never interleave their lines; the summary lists them in list order.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { formatCounts, parseCounts } from "./counts.mjs";
import { runInLanes } from "./lanes.mjs";
import { needs } from "./needs.mjs";
import { provision, resolveNeeds, systemHost } from "./provision.mjs";
import { cpu, lanes, stepNeeds, steps } from "./test-steps.mjs";

/** A step still running after this long is stopped and counts as failed (a hung step would hold CI forever). */
const STEP_DEADLINE_S = 900;

const USAGE = `Usage: node scripts/test.mjs [options] [filter ...]     (npm test -- [options] [filter ...])

Runs the test steps of scripts/test-steps.mjs and ends with one line, "N passed, N failed", the
totals over every step and runtime; exits non-zero on any failure.

  (no filter)    every step (npm test)
  test:deno      the steps of one package script (npm run test:deno)
  <text> ...     the steps whose name contains any text given (npm test -- deno stores)

Before the steps, it checks what they need from the machine (scripts/needs.mjs): the missing
Debian packages are installed with apt-get when it runs as root, otherwise it stops and prints
the command to run; the Python virtual environment for Authlib is made in .venv/.

A step still running after ${STEP_DEADLINE_S} s is stopped, with the processes it started, and fails.

Options:
  --serial       one step at a time, in list order, its output shown as it comes
  --list         the steps that would run, by lane in the order they run, with their CPU class
                 and needs (scripts/test-steps.mjs); runs nothing
  -h, --help     this text
`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = args.filter((a) => a.startsWith("-") && !["--serial", "--list"].includes(a));
if (unknown.length) {
  process.stderr.write(`unknown option ${unknown.join(", ")}\n\n${USAGE}`);
  process.exit(2);
}
const serial = args.includes("--serial");
const only = args.filter((a) => !a.startsWith("-"));
const selected = only.length ? steps.filter((s) => only.some((o) => s.script === o || s.name.includes(o))) : steps;
/** Where each step placed in a lane runs: its lane, and its place in it. */
const placed = new Map(Object.entries(lanes).flatMap(([lane, names]) => names.map((name, place) => [name, { lane, place }])));
/** A step's lane; a step in no lane runs last in the conformance lane. */
const laneOf = (step) => placed.get(step.name)?.lane ?? "conformance";
/** What a step takes of the CPU beside other steps: "light", "busy" (the default) or "alone". */
const cpuOf = (step) => cpu[step.name] ?? "busy";
const needsOf = (step) => stepNeeds[step.name] ?? [];

const place = (step) => placed.get(step.name)?.place ?? steps.length + steps.indexOf(step);
/** The selected steps grouped by lane, the first lane first, each lane's steps in the order they run. */
const laneNames = [...new Set([...Object.keys(lanes), ...selected.map(laneOf)])];
const inLaneOrder = laneNames.flatMap((lane) => selected.filter((s) => laneOf(s) === lane).sort((a, b) => place(a) - place(b)));

if (args.includes("--list")) {
  for (const s of inLaneOrder) process.stdout.write(`${laneOf(s).padEnd(12)} ${s.name.padEnd(44)} ${cpuOf(s).padEnd(6)}${needsOf(s).length ? ` needs ${needsOf(s).join(", ")}` : ""}`.trimEnd() + "\n");
  process.exit(0);
}

/** Package scripts that do not run exactly one group of steps, and groups without their script. */
function scriptMismatches() {
  const scripts = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).scripts ?? {};
  const groups = new Set(steps.map((s) => s.script));
  const problems = [];
  for (const group of groups) {
    if (scripts[group] !== `node scripts/test.mjs ${group}`) problems.push(`package.json "${group}" must be "node scripts/test.mjs ${group}"`);
  }
  for (const name of Object.keys(scripts)) {
    if (name.startsWith("test:") && !groups.has(name)) problems.push(`package.json "${name}" runs no step of scripts/test-steps.mjs`);
  }
  return problems;
}

/** The process groups of the running steps, stopped with them when this command is interrupted. */
const groups = new Set();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const pid of groups) try { process.kill(-pid, "SIGKILL"); } catch {}
    process.exit(130);
  });
}

/**
 * Runs one step, in a process group of its own. With `live`, its output goes straight through;
 * otherwise it is held (standard output and error, in the order they came) and written whole,
 * under the step's name, at the end.
 */
function run(step, live) {
  return new Promise((resolve) => {
    const started = Date.now();
    /** @type {[NodeJS.WriteStream, Buffer][]} */
    const held = [];
    const out = (stream) => (chunk) => (live ? stream.write(chunk) : held.push([stream, chunk]));
    if (live) process.stdout.write(`\n=== ${step.name} ===\n`);
    const child = spawn(step.cmd, step.args, { env: { ...process.env, ...step.env, FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (child.pid) groups.add(child.pid);
    let stdout = "";
    let spawnError = "";
    let timedOut = false;
    // The whole group: a step's servers and workers go with it.
    const deadline = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, "SIGKILL"); } catch {}
    }, STEP_DEADLINE_S * 1000);
    child.stdout.on("data", (chunk) => { stdout += chunk; out(process.stdout)(chunk); });
    child.stderr.on("data", out(process.stderr));
    child.on("error", (error) => (spawnError = `cannot run ${step.cmd}: ${error.message}\n`));
    child.on("close", (code) => {
      clearTimeout(deadline);
      groups.delete(child.pid);
      if (spawnError) out(process.stderr)(Buffer.from(spawnError));
      if (timedOut) out(process.stderr)(Buffer.from(`\n${step.name}: still running after ${STEP_DEADLINE_S} s, stopped (a step must end by itself)\n`));
      if (!live) {
        process.stdout.write(`\n=== ${step.name} ===\n`);
        for (const [stream, chunk] of held) stream.write(chunk);
        const at = (ms) => ((ms - suiteStarted) / 1000).toFixed(1);
        process.stdout.write(`(${laneOf(step)} lane, ${cpuOf(step)}: from ${at(started)} s to ${at(Date.now())} s)\n`);
      }
      const counts = step.single ? { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 } : parseCounts(stdout);
      let { passed, failed } = counts ?? { passed: 0, failed: 1 }; // no counts line: the step did not finish its tests
      if (passed + failed === 0) failed = 1; // a step that ran nothing has failed to run its tests
      if ((code !== 0 || timedOut) && failed === 0) failed = 1; // a non-zero exit (or a stopped step) is a failure even if counts look clean
      resolve({ name: step.name, passed, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const suiteStarted = Date.now();
/** Rows of the summary that are not steps. */
const checks = [];
const mismatches = scriptMismatches();
if (mismatches.length) {
  process.stdout.write(`\n=== package.json test scripts ===\n${mismatches.join("\n")}\n`);
  checks.push({ name: "package.json test scripts", passed: 0, failed: 1, seconds: 0 });
}
if (selected.length === 0) process.stderr.write(`no step matches ${only.join(", ")}: node scripts/test.mjs --list shows the steps\n`);

let wanted;
try {
  wanted = resolveNeeds(needs, [...new Set(selected.flatMap(needsOf))]);
} catch (error) {
  process.stderr.write(`scripts/test-steps.mjs: ${error.message}\n`);
  process.exit(1);
}
const provided = await provision(wanted, systemHost());
if (!provided.ok) {
  process.stderr.write(`\n${provided.message}\n`);
  process.exit(1);
}

const results = new Map();
if (serial) {
  for (const step of selected) results.set(step, await run(step, true));
} else {
  const slots = Math.max(2, availableParallelism());
  const laneCount = new Set(selected.map(laneOf)).size;
  process.stdout.write(`\n${selected.length} steps in ${laneCount} lane${laneCount === 1 ? "" : "s"} within ${slots} cores; each step's output comes when it ends\n`);
  for (const [step, result] of await runInLanes(inLaneOrder, { slots, order: laneNames, laneOf, cpuOf, run: (step) => run(step, false) })) results.set(step, result);
}

// The summary lists the steps in list order, whichever lane finished first.
const ordered = [...checks, ...selected.map((s) => results.get(s))];
process.stdout.write(`\nall steps done in ${((Date.now() - suiteStarted) / 1000).toFixed(1)}s\n`);
process.stdout.write("\n=== summary ===\n");
for (const r of ordered) {
  process.stdout.write(`${r.name.padEnd(44)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds.toFixed(1)}s\n`);
}
const passed = ordered.reduce((n, r) => n + r.passed, 0);
const failed = ordered.reduce((n, r) => n + r.failed, 0);
process.stdout.write(formatCounts({ passed, failed }));
process.exitCode = failed > 0 || selected.length === 0 ? 1 : 0;
