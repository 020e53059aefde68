// workerd entry (run on Node with tsx): bundles a runtime-neutral uvu test module together with
// uvu into one ES module worker (esbuild), runs it in workerd through miniflare, prints what uvu
// printed, and exits non-zero itself: uvu cannot set an exit code inside workerd.
//   tsx test/runtimes/workerd.ts [module=test/all.ts]
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { summaryOf, succeeded, type UvuResult } from "./uvu-run.ts";

/** The compatibility date of the workerd that miniflare 4.20260426.0 ships. */
export const COMPATIBILITY_DATE = "2026-04-26";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEADLINE_MS = 120_000;

/** Bundles `entry` (a module whose import registers uvu suites) into one worker module. */
export async function bundleUvuWorker(entry: string): Promise<string> {
  const runner = resolve(ROOT, "test/runtimes/uvu-run.ts");
  const source = `
    import { runUvu } from ${JSON.stringify(runner)};
    export default {
      async fetch() {
        // Tests run inside a request: workerd forbids I/O, timers and randomness at module scope.
        const result = await runUvu(() => import(${JSON.stringify(resolve(ROOT, entry))}));
        return Response.json(result);
      },
    };`;
  const out = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "ts", sourcefile: "workerd-entry.ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "import"],
    target: "es2022",
    // package.json says "sideEffects": false, which would drop test/all.ts's bare imports.
    ignoreAnnotations: true,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

/** Runs a bundled uvu worker in workerd and returns uvu's output and counts. */
export async function runInWorkerd(script: string): Promise<UvuResult> {
  const mf = new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`workerd run did not finish within ${DEADLINE_MS} ms`)), DEADLINE_MS);
    });
    const response = await Promise.race([mf.dispatchFetch("http://localhost/"), deadline]);
    const text = await response.text();
    if (!response.ok) return { total: 0, passed: 0, output: `worker answered ${response.status}: ${text}\n` };
    return JSON.parse(text) as UvuResult;
  } finally {
    clearTimeout(timer);
    await mf.dispose();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = process.argv[2] ?? "test/all.ts";
  let result: UvuResult;
  try {
    result = await runInWorkerd(await bundleUvuWorker(entry));
  } catch (error) {
    result = { total: 0, passed: 0, output: `workerd: ${String((error as Error)?.stack ?? error)}\n` };
  }
  const colours = process.stdout.isTTY && process.env["FORCE_COLOR"] !== "0";
  process.stdout.write(colours ? result.output : result.output.replace(/\x1b\[[0-9;]*m/g, ""));
  const { total, passed } = summaryOf(result.output);
  if (total === 0) process.stdout.write("workerd: no uvu summary: the run failed before any test finished\n");
  if (!succeeded({ total, passed })) process.exitCode = 1;
  // miniflare can keep handles open for a moment after dispose.
  process.exit();
}
