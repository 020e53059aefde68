// Runs the uvu suites of a Node runner entry side by side, each in a process of its own (the entry
// again, given the suite's name, under the same tsx): for suites that mostly wait (real servers,
// workerd), so that their waits overlap. Each suite's output is printed whole when it ends, then
// the counts line of scripts/counts.mjs for all of them. Given a suite's name, the entry runs that
// suite alone, in its own process.
import { spawn } from "node:child_process";
import { formatCounts, parseCounts } from "../../scripts/counts.mjs";
import { runUvu, succeeded } from "./uvu-run.ts";

/** A suite's test modules, loaded with uvu deferred (static `import()`s, which the test files check reads). */
export type Suites = Record<string, () => Promise<unknown>>;

interface Run {
  output: string;
  passed: number;
  failed: number;
}

function runChild(entry: string, name: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, entry, name], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", (error) => (output += `cannot start the suite ${name}: ${error.message}\n`));
    child.on("close", (code) => {
      const counts = parseCounts(stdout) ?? { passed: 0, failed: 0 };
      // A suite that ran nothing, or exited non-zero with nothing failed, counts as one failure.
      const broken = counts.passed + counts.failed === 0 || (code !== 0 && counts.failed === 0);
      resolve({ output: code === 0 ? output : `${output}the suite ${name} exited with ${code}\n`, passed: counts.passed, failed: counts.failed + (broken ? 1 : 0) });
    });
  });
}

/**
 * With a suite's name as the first argument, runs that suite here; otherwise runs every suite in
 * a child process, side by side. Exits: non-zero on any failure or when no test ran.
 *
 * @param entry The runner entry's path (`fileURLToPath(import.meta.url)`).
 * @param suites The suites, by name.
 */
export async function runSideBySide(entry: string, suites: Suites): Promise<never> {
  const only = process.argv[2];
  if (only !== undefined) {
    const load = suites[only];
    if (load === undefined) {
      process.stdout.write(`no suite "${only}": ${Object.keys(suites).join(", ")}\n`);
      process.exit(1);
    }
    const result = await runUvu(load);
    // Servers and workerd can keep handles open for a moment after they stop.
    process.exit(succeeded(result) ? 0 : 1);
  }
  let passed = 0;
  let failed = 0;
  await Promise.all(Object.keys(suites).map(async (name) => {
    const run = await runChild(entry, name);
    process.stdout.write(`\n--- ${name} ---\n${run.output}`);
    passed += run.passed;
    failed += run.failed;
  }));
  process.stdout.write(formatCounts({ passed, failed }));
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
