#!/usr/bin/env node
// Fails when the modules under a folder import each other in a cycle. The import graph is the one
// esbuild resolves (every relative import that stays at run time; packages and node: modules are
// leaves), so no hand-written import parser is involved. `import type` is erased at run time and
// so cannot make a cycle of evaluation; such type-only cycles are listed as notes, and fail the
// check only with --types.
//   node scripts/import-cycles.mjs [--types] <folder> ...
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { cycles, importGraph } from "./import-graph.mjs";

const root = new URL("..", import.meta.url).pathname;

/** Every TypeScript module under `folder` (node_modules, dist and declaration files left out). */
function modulesUnder(folder) {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .filter((file) => !file.split("/").some((part) => part === "node_modules" || part === "dist"))
    .sort();
}

const args = process.argv.slice(2);
const strictTypes = args.includes("--types");
const folders = args.filter((a) => !a.startsWith("--"));
let failed = 0;
for (const folder of folders) {
  const files = modulesUnder(folder);
  const runtime = cycles(await importGraph(files));
  const typed = cycles(await importGraph(files, { types: true }));
  const show = (cycle) => `  ${cycle.join(" → ")}\n`;
  if (runtime.length) {
    failed += runtime.length;
    process.stdout.write(`FAIL ${folder}/: ${runtime.length} import cycle(s)\n${runtime.map(show).join("")}`);
  } else {
    process.stdout.write(`ok   ${folder}/: no import cycle among ${files.length} modules\n`);
  }
  const typeOnly = typed.filter((c) => !runtime.some((r) => r.every((m) => c.includes(m))));
  if (typeOnly.length) {
    if (strictTypes) failed += typeOnly.length;
    process.stdout.write(`${strictTypes ? "FAIL" : "note"} ${folder}/: ${typeOnly.length} cycle(s) through type-only imports (erased at run time)\n${typeOnly.map(show).join("")}`);
  }
}
process.exitCode = failed ? 1 : 0;
