// The `node: real authorization servers` step: tokenkeeper against authorization servers nobody
// here wrote, each started on loopback by its suite and stopped after it. Exits non-zero itself
// on any failure or when no test ran.
import { runUvu, succeeded } from "../runtimes/uvu-run.ts";

const result = await runUvu(async () => {
  await import("./oidc-provider.test.ts");
  await import("./oauth2-server.test.ts");
  await import("./authlib.test.ts");
});
if (!succeeded(result)) process.exitCode = 1;
