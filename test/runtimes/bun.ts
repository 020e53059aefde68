// Bun entry: runs the runtime-neutral unit tests (test/all.ts).
//   bun test/runtimes/bun.ts
// It exits non-zero itself on any failure or when no test ran.
import { runUvu, succeeded } from "./uvu-run.ts";

const result = await runUvu(() => import("../all.ts"));
if (!succeeded(result)) process.exit(1);
