// Runtime-neutral uvu driver shared by the Deno, Bun and workerd entries. uvu decides at import
// time where it writes (process.stdout where it exists, else console.log) and sets an exit code
// only where process.stdout exists, so each entry captures the output, reads uvu's own summary,
// and signals failure itself.

/** What one uvu run printed and counted. */
export interface UvuResult {
  /** Tests uvu ran (its `Total:` line). */
  total: number;
  /** Tests that passed (its `Passed:` line). */
  passed: number;
  /** Everything uvu printed. */
  output: string;
}

interface StdoutLike {
  write(chunk: string): unknown;
}

function stdoutOf(): StdoutLike | undefined {
  const process = (globalThis as { process?: { stdout?: StdoutLike } }).process;
  return process?.stdout;
}

/**
 * Loads test modules with uvu deferred, runs them all, and returns uvu's counts. `echo` receives
 * output as it is produced where uvu writes through `console.log` (workerd); elsewhere uvu writes
 * to `process.stdout` itself and this function only listens.
 */
export async function runUvu(load: () => Promise<unknown>, echo?: (chunk: string) => void): Promise<UvuResult> {
  let output = "";
  const stdout = stdoutOf();
  const restore: (() => void)[] = [];
  if (stdout) {
    const write = stdout.write;
    stdout.write = function (this: unknown, chunk: string, ...rest: unknown[]): unknown {
      output += String(chunk);
      return (write as (...args: unknown[]) => unknown).call(this, chunk, ...rest);
    };
    restore.push(() => { stdout.write = write; });
  } else {
    // uvu keeps a reference to console.log taken when it is first imported: patch it before.
    const log = console.log;
    console.log = (...args: unknown[]): void => {
      const chunk = args.map(String).join(" ");
      output += chunk;
      echo?.(chunk);
    };
    restore.push(() => { console.log = log; });
  }
  // What uvu's CLI does before loading test files: defer running, and open one queue group.
  const g = globalThis as { UVU_DEFER?: number; UVU_QUEUE?: unknown[][]; UVU_INDEX?: number };
  g.UVU_DEFER = 1;
  g.UVU_QUEUE = [[null]];
  g.UVU_INDEX = 0;
  try {
    const { exec } = await import("uvu");
    await load();
    await exec();
  } finally {
    for (const undo of restore) undo();
  }
  return { ...summaryOf(output), output };
}

/** Reads uvu's `Total:` and `Passed:` lines; zero when absent. */
export function summaryOf(output: string): { total: number; passed: number } {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, "");
  let total = 0;
  let passed = 0;
  for (const m of clean.matchAll(/^\s*Total:\s+(\d+)\s*$/gm)) total += Number(m[1]);
  for (const m of clean.matchAll(/^\s*Passed:\s+(\d+)\s*$/gm)) passed += Number(m[1]);
  return { total, passed };
}

/** True when the run counts as a success: at least one test, and every test passed. */
export function succeeded(result: { total: number; passed: number }): boolean {
  return result.total > 0 && result.passed === result.total;
}
