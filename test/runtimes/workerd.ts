// workerd entry (run on Node with tsx): bundles a runtime-neutral uvu test module together with
// uvu into one ES module worker (esbuild), runs it in workerd through miniflare, prints what uvu
// printed, and exits non-zero itself: uvu cannot set an exit code inside workerd.
//   tsx test/runtimes/workerd.ts [module=test/all.ts]
//   tsx test/runtimes/workerd.ts --conformance     (the conformance suite against tokenkeeper)
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
export function bundleUvuWorker(entry: string): Promise<string> {
  return bundleWorker(`
    import { runUvu } from ${JSON.stringify(resolve(ROOT, "test/runtimes/uvu-run.ts"))};
    export default {
      async fetch() {
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

/** Bundles a worker module's source, with its imports, into one ES module for workerd. */
export async function bundleWorker(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "ts", sourcefile: "workerd-entry.ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    // tokenkeeper-source: the conformance package's "tokenkeeper" import bundles the sources.
    conditions: ["tokenkeeper-source", "workerd", "worker", "import"],
    external: ["cloudflare:workers"],
    target: "es2022",
    // package.json says "sideEffects": false, which would drop test/all.ts's bare imports.
    ignoreAnnotations: true,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

/** Runs a bundled worker in workerd and returns the JSON it answers with. */
export async function runInWorkerd<T extends { output: string }>(script: string): Promise<T> {
  const mf = new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`workerd run did not finish within ${DEADLINE_MS} ms`)), DEADLINE_MS);
    });
    const response = await Promise.race([mf.dispatchFetch("http://localhost/"), deadline]);
    const text = await response.text();
    if (!response.ok) return { output: `worker answered ${response.status}: ${text}\n` } as T;
    return JSON.parse(text) as T;
  } finally {
    clearTimeout(timer);
    await mf.dispose();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = process.argv[2] ?? "test/all.ts";
  const conformance = arg === "--conformance";
  let output: string;
  let ok: boolean;
  try {
    if (conformance) {
      const result = await runInWorkerd<{ ok?: boolean; output: string }>(await bundleConformanceWorker());
      output = result.output;
      ok = result.ok === true;
    } else {
      output = (await runInWorkerd<UvuResult>(await bundleUvuWorker(arg))).output;
      const { total, passed } = summaryOf(output);
      if (total === 0) output += "workerd: no uvu summary: the run failed before any test finished\n";
      ok = succeeded({ total, passed });
    }
  } catch (error) {
    output = `workerd: ${String((error as Error)?.stack ?? error)}\n`;
    ok = false;
  }
  const colours = process.stdout.isTTY && process.env["FORCE_COLOR"] !== "0";
  process.stdout.write(colours ? output : output.replace(/\x1b\[[0-9;]*m/g, ""));
  if (!ok) process.exitCode = 1;
  // miniflare can keep handles open for a moment after dispose.
  process.exit();
}
