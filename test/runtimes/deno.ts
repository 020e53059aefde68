// Deno entry: runs the runtime-neutral unit tests (test/all.ts).
//   deno run --allow-env --allow-read --allow-net test/runtimes/deno.ts
// Deno resolves npm packages from the existing node_modules (deno.json: nodeModulesDir "manual"),
// so this runs offline. It exits non-zero itself on any failure or when no test ran.
import { runUvu, succeeded } from "./uvu-run.ts";

const result = await runUvu(() => import("../all.ts"));
if (!succeeded(result)) {
  (globalThis as unknown as { Deno: { exit(code: number): never } }).Deno.exit(1);
}
