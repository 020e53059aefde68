// Node entry (run with tsx). With no argument: the runtime-neutral unit tests (test/all.ts) and the
// Node-only ones (test/node/*.test.ts, but store-*.test.ts, which need a redis-server and have
// their own step) in one uvu run. With arguments: the test modules named, as paths from the
// working directory, in one uvu run.
//   tsx test/runtimes/node.ts [module ...]
// Ends with the counts line of scripts/counts.mjs; exits non-zero itself on any failure or when no
// test ran.
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runUvu, succeeded } from "./uvu-run.ts";

const modules = process.argv.slice(2);
const result = await runUvu(async () => {
  if (modules.length > 0) {
    for (const module of modules) await import(pathToFileURL(resolve(module)).href);
    return;
  }
  await import("../all.ts");
  const nodeDir = fileURLToPath(new URL("../node/", import.meta.url));
  for (const file of readdirSync(nodeDir).filter((f) => f.endsWith(".test.ts") && !f.startsWith("store-")).sort()) {
    await import(pathToFileURL(nodeDir + file).href);
  }
});
if (!succeeded(result)) process.exitCode = 1;
