// Deno entry for the Deno KV store tests (a real Deno.openKv(), in memory and on a temp file):
//   deno run --unstable-kv --allow-env --allow-read --allow-write --allow-net --allow-sys test/stores/deno-kv.deno.ts
// It exits non-zero itself on any failure or when no test ran.
import { runUvu, succeeded } from "../runtimes/uvu-run.ts";

const result = await runUvu(() => import("./deno-kv.suite.ts"));
if (!succeeded(result)) {
  (globalThis as unknown as { Deno: { exit(code: number): never } }).Deno.exit(1);
}
