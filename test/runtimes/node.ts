// Node entry: runs the runtime-neutral unit tests (test/all.ts) and the Node-only ones
// (test/node/*.test.ts) in one uvu run.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const { exec } = await import("uvu");
await import("../all.ts");
const nodeDir = fileURLToPath(new URL("../node/", import.meta.url));
for (const file of readdirSync(nodeDir).filter((f) => f.endsWith(".test.ts")).sort()) {
  await import(pathToFileURL(nodeDir + file).href);
}
await exec();
