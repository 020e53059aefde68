// Node entry: runs the runtime-neutral unit tests (test/all.ts) and the Node-only ones
// (test/node/*.test.ts) in one uvu run. Exits non-zero itself on any failure or when no test ran.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runUvu, succeeded } from "./uvu-run.ts";

const result = await runUvu(async () => {
  await import("../all.ts");
  const nodeDir = fileURLToPath(new URL("../node/", import.meta.url));
  // store-*.test.ts need a redis-server and spawn a fleet of processes: they have their own step.
  for (const file of readdirSync(nodeDir).filter((f) => f.endsWith(".test.ts") && !f.startsWith("store-")).sort()) {
    await import(pathToFileURL(nodeDir + file).href);
  }
});
if (!succeeded(result)) process.exitCode = 1;
