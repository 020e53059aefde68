// workerd entry for the Workers KV store tests (run on Node with tsx): bundles
// test/stores/workers-kv.suite.ts with uvu into one worker (esbuild), runs it in workerd through
// miniflare with a real KV namespace binding, prints what uvu printed, and exits non-zero itself.
//   tsx test/stores/workers-kv.node.ts
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleWorker, COMPATIBILITY_DATE } from "../runtimes/workerd.ts";
import { succeeded, summaryOf, type UvuResult } from "../runtimes/uvu-run.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEADLINE_MS = 120_000;

const source = `
  import { runUvu } from ${JSON.stringify(resolve(ROOT, "test/runtimes/uvu-run.ts"))};
  export default {
    async fetch(request, env) {
      globalThis.__tokenkeeperKv = env.TOKENS;
      const result = await runUvu(() => import(${JSON.stringify(resolve(ROOT, "test/stores/workers-kv.suite.ts"))}));
      return Response.json(result);
    },
  };`;

let result: UvuResult;
let mf: Miniflare | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
try {
  const script = await bundleWorker(source);
  mf = new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE, kvNamespaces: ["TOKENS"] });
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`workerd run did not finish within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  const response = await Promise.race([mf.dispatchFetch("http://localhost/"), deadline]);
  const text = await response.text();
  result = response.ok ? JSON.parse(text) as UvuResult : { total: 0, passed: 0, output: `worker answered ${response.status}: ${text}\n` };
} catch (error) {
  result = { total: 0, passed: 0, output: `workerd: ${String((error as Error)?.stack ?? error)}\n` };
} finally {
  clearTimeout(timer);
  await mf?.dispose();
}
process.stdout.write(result.output.replace(/\x1b\[[0-9;]*m/g, ""));
const { total, passed } = summaryOf(result.output);
if (total === 0) process.stdout.write("workerd: no uvu summary: the run failed before any test finished\n");
process.exitCode = succeeded({ total, passed }) ? 0 : 1;
// miniflare can keep handles open for a moment after dispose.
process.exit();
