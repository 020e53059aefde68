// Runtime-neutral uvu driver shared by every test entry (Node, Deno, Bun, workerd). uvu decides at
// import time where it writes (process.stdout where it exists, else console.log) and sets an exit
// code only where process.stdout exists, so each entry gets the counts from here and signals
// failure itself. The counts come from uvu's own suite runners (each returns what it ran), not
// from its printed output; they are printed last as the counts line of scripts/counts.mjs.
import { formatCounts, parseCounts } from "../../scripts/counts.mjs";

/** What one uvu run counted and printed. */
export interface UvuResult {
  /** Tests uvu ran. */
  total: number;
  /** Tests that passed. */
  passed: number;
  /** Everything uvu printed, then the counts line. */
  output: string;
}

interface StdoutLike {
  write(chunk: string): unknown;
}

/** A queued uvu suite: `[errors or true, passed, skipped, total]` once run. */
type SuiteRun = () => Promise<[string | true, number, number, number]>;

function stdoutOf(): StdoutLike | undefined {
  const process = (globalThis as { process?: { stdout?: StdoutLike } }).process;
  return process?.stdout;
}

/**
 * Loads test modules with uvu deferred, runs them all, prints the counts line, and returns the
 * counts. `echo` receives output as it is produced where uvu writes through `console.log`
 * (workerd); elsewhere uvu writes to `process.stdout` itself and this function only listens. A
 * module that fails to load counts as one failed test.
 */
export async function runUvu(load: () => Promise<unknown>, echo?: (chunk: string) => void): Promise<UvuResult> {
  let output = "";
  let total = 0;
  let passed = 0;
  const stdout = stdoutOf();
  const restore: (() => void)[] = [];
  let print: (chunk: string) => void;
  if (stdout) {
    const write = stdout.write;
    stdout.write = function (this: unknown, chunk: string, ...rest: unknown[]): unknown {
      output += String(chunk);
      return (write as (...args: unknown[]) => unknown).call(this, chunk, ...rest);
    };
    restore.push(() => { stdout.write = write; });
    print = (chunk) => void stdout.write(chunk);
  } else {
    // uvu keeps a reference to console.log taken when it is first imported: patch it before.
    const log = console.log;
    console.log = (...args: unknown[]): void => {
      const chunk = args.map(String).join(" ");
      output += chunk;
      echo?.(chunk);
    };
    restore.push(() => { console.log = log; });
    print = (chunk) => console.log(chunk);
  }
  // What uvu's CLI does before loading test files: defer running, and open one queue group.
  const g = globalThis as { UVU_DEFER?: number; UVU_QUEUE?: unknown[][]; UVU_INDEX?: number };
  g.UVU_DEFER = 1;
  g.UVU_QUEUE = [[null]];
  g.UVU_INDEX = 0;
  try {
    const { exec } = await import("uvu");
    try {
      await load();
    } catch (error) {
      total += 1;
      print(`test module failed to load: ${String((error as Error)?.stack ?? error)}\n`);
    }
    for (const group of g.UVU_QUEUE) {
      for (let i = 1; i < group.length; i++) {
        const run = group[i] as SuiteRun;
        group[i] = async () => {
          const result = await run();
          total += result[3];
          passed += result[1];
          return result;
        };
      }
    }
    await exec();
    print(formatCounts({ passed, failed: total - passed }));
  } finally {
    for (const undo of restore) undo();
  }
  return { total, passed, output };
}

/** The counts of an output that ends with the counts line (a run's `output`); zero when absent. */
export function summaryOf(output: string): { total: number; passed: number } {
  const counts = parseCounts(output);
  return counts === undefined ? { total: 0, passed: 0 } : { total: counts.passed + counts.failed, passed: counts.passed };
}

/** True when the run counts as a success: at least one test, and every test passed. */
export function succeeded(result: { total: number; passed: number }): boolean {
  return result.total > 0 && result.passed === result.total;
}
