// workerd Workers-semantics entry (run on Node with tsx): the tests in test/workerd/ drive real
// dispatches into workerd through miniflare, one worker or a fleet. Exits non-zero itself on any
// failure.
import { runUvu, succeeded } from "./uvu-run.ts";

const result = await runUvu(async () => {
  await import("../workerd/semantics.test.ts");
  await import("../workerd/fleet.test.ts");
});
if (!succeeded(result)) process.exitCode = 1;
process.exit();
