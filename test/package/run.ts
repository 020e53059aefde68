// The `node: packed package and command line` step: `npm pack` once, fresh projects installing the
// tarballs, the package checks and the `tokenkeeper` command's end-to-end tests in one uvu run.
// Exits non-zero itself on any failure or when no test ran.
import { runUvu, succeeded } from "../runtimes/uvu-run.ts";

const result = await runUvu(async () => {
  await import("./package.test.ts");
  await import("../cli/args.test.ts");
  await import("../cli/exit-codes.test.ts");
  await import("../cli/terminal-output.test.ts");
  await import("../cli/body-cap.test.ts");
  await import("../cli/careless-user.test.ts");
  await import("../cli/flag-errors.test.ts");
  await import("../cli/token.test.ts");
  await import("../cli/token-cache.test.ts");
  await import("../cli/doctor.test.ts");
  await import("../cli/conformance.test.ts");
});
if (!succeeded(result)) process.exitCode = 1;
