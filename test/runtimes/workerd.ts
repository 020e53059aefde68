// workerd entry (run on Node with tsx): bundles a runtime-neutral uvu test module together with
// uvu into one ES module worker (esbuild), runs it in workerd through miniflare, prints what uvu
// printed, and exits non-zero itself: uvu cannot set an exit code inside workerd.
//   tsx test/runtimes/workerd.ts [module=test/all.ts]
//   tsx test/runtimes/workerd.ts --conformance     (the conformance suite against tokenkeeper)
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker, COMPATIBILITY_DATE, ROOT, startWorkerd, type WorkerSpec } from "../workerd/miniflare.ts";
import { summaryOf, succeeded, type UvuResult } from "./uvu-run.ts";

const DEADLINE_MS = 120_000;

/**
 * Bundles `entry` (a module whose import registers uvu suites) into one worker module. The
 * worker's `env` is on `globalThis.__tokenkeeperEnv` for suites that test a binding; `exports`
 * is more module source, such as a Durable Object class the worker must export.
 */
export function bundleUvuWorker(entry: string, exports = ""): Promise<string> {
  return bundleWorker(`
    import { runUvu } from ${JSON.stringify(resolve(ROOT, "test/runtimes/uvu-run.ts"))};
    ${exports}
    export default {
      async fetch(request, env) {
        globalThis.__tokenkeeperEnv = env;
        // Tests run inside a request: workerd forbids I/O, timers and randomness at module scope.
        const result = await runUvu(() => import(${JSON.stringify(resolve(ROOT, entry))}));
        return Response.json(result);
      },
    };`);
}

/** Bundles the conformance suite into one worker module that answers with the report. */
export function bundleConformanceWorker(): Promise<string> {
  return bundleWorker(`
    import { runConformance } from ${JSON.stringify(resolve(ROOT, "test/runtimes/conformance-run.ts"))};
    export default {
      async fetch() {
        let output = "";
        const ok = await runConformance({ name: "workerd ${COMPATIBILITY_DATE}", capabilities: [] }, (text) => (output += text));
        return Response.json({ ok, output });
      },
    };`);
}

/** Runs a bundled worker (with the bindings it asks for) in workerd and returns the JSON it answers with. */
export async function runInWorkerd<T extends { output: string }>(worker: WorkerSpec): Promise<T> {
  const workerd = await startWorkerd(worker);
  try {
    const response = await workerd.fetch("http://localhost/", { deadlineMs: DEADLINE_MS });
    const text = await response.text();
    if (!response.ok) return { output: `worker answered ${response.status}: ${text}\n` } as T;
    return JSON.parse(text) as T;
  } finally {
    await workerd.dispose();
  }
}

/**
 * Runs the uvu suites of `entry` in workerd with the bindings `worker` asks for, prints what uvu
 * printed, and exits: non-zero on any failure, or when no test ran.
 */
export async function runUvuEntry(entry: string, worker: Omit<WorkerSpec, "script"> = {}, exports = ""): Promise<never> {
  let output: string;
  try {
    output = (await runInWorkerd<UvuResult>({ ...worker, script: await bundleUvuWorker(entry, exports) })).output;
  } catch (error) {
    output = `workerd: ${String((error as Error)?.stack ?? error)}\n`;
  }
  const { total, passed } = summaryOf(output);
  if (total === 0) output += "workerd: no uvu summary: the run failed before any test finished\n";
  finish(output, succeeded({ total, passed }));
}

function finish(output: string, ok: boolean): never {
  const colours = process.stdout.isTTY && process.env["FORCE_COLOR"] !== "0";
  process.stdout.write(colours ? output : output.replace(/\x1b\[[0-9;]*m/g, ""));
  // miniflare can keep handles open for a moment after dispose.
  process.exit(ok ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = process.argv[2] ?? "test/all.ts";
  if (arg !== "--conformance") await runUvuEntry(arg);
  try {
    const result = await runInWorkerd<{ ok?: boolean; output: string }>({ script: await bundleConformanceWorker() });
    finish(result.output, result.ok === true);
  } catch (error) {
    finish(`workerd: ${String((error as Error)?.stack ?? error)}\n`, false);
  }
}
