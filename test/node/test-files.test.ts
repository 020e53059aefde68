// Every test file runs somewhere, on every runtime it is meant for: each *.test.ts is owned by one
// runner entry, and an entry that lists its test files (test/all.ts and the like, which workerd's
// bundle and static imports need) lists exactly the files it owns. Imports are read from the
// import graph esbuild resolves (scripts/import-graph.mjs), not parsed here.
import { readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { importGraph } from "../../scripts/import-graph.mjs";
import { steps } from "../../scripts/test-steps.mjs";

const test = suite("test files");
const root = fileURLToPath(new URL("../../", import.meta.url));

/** Test files under `folder`, as paths from the repository root. */
function testFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".test.ts"))
    .map((e) => relative(root, join(e.parentPath ?? (e as { path?: string }).path ?? "", e.name)))
    .filter((file) => !file.split("/").includes("node_modules"))
    .sort();
}

/** Runner entries that list their test files, and which files each owns. */
const lists: { entry: string; owns: (file: string) => boolean }[] = [
  { entry: "test/all.ts", owns: (f) => f.startsWith("test/") && !/^test\/(node|interop|workerd|package|cli)\//.test(f) },
  { entry: "test/interop/run.ts", owns: (f) => f.startsWith("test/interop/") },
  { entry: "test/package/run.ts", owns: (f) => f.startsWith("test/package/") || f.startsWith("test/cli/") },
  { entry: "test/runtimes/workerd-semantics.ts", owns: (f) => f.startsWith("test/workerd/") },
  { entry: "conformance/test/node.ts", owns: (f) => f.startsWith("conformance/test/") },
];
/** test/runtimes/node.ts loads test/node/*.test.ts itself, all but store-*.test.ts. */
const nodeOnly = (f: string) => /^test\/node\/[^/]+\.test\.ts$/.test(f);

const all = [...testFiles("test"), ...testFiles("conformance/test")];
const graph = await importGraph([...new Set([...lists.map((l) => l.entry), "test/runtimes/node.ts", "test/runtimes/deno.ts", "test/runtimes/bun.ts"])], { dynamic: true });
const imported = (entry: string) => graph.get(entry) ?? [];

test("every test file belongs to a runner", () => {
  const orphans = all.filter((f) => !nodeOnly(f) && !lists.some((l) => l.owns(f)));
  assert.equal(orphans, [], `no runner for ${orphans.join(", ")}`);
  assert.ok(all.length > 20, `found ${all.length} test files`);
});

for (const { entry, owns } of lists) {
  test(`${entry} imports every test file it owns, and no other`, () => {
    const listed = imported(entry).filter((f) => f.endsWith(".test.ts"));
    const missing = all.filter(owns).filter((f) => !listed.includes(f));
    const foreign = listed.filter((f) => !owns(f));
    assert.equal(missing, [], `${entry} does not import ${missing.join(", ")}`);
    assert.equal(foreign, [], `${entry} imports test files it does not own: ${foreign.join(", ")}`);
  });
}

test("the Node, Deno, Bun and workerd unit entries all run test/all.ts", () => {
  for (const entry of ["test/runtimes/node.ts", "test/runtimes/deno.ts", "test/runtimes/bun.ts"]) {
    assert.ok(imported(entry).includes("test/all.ts"), `${entry} does not load test/all.ts`);
  }
  assert.ok(steps.some((s) => s.args.includes("test/runtimes/workerd.ts") && s.args.includes("test/all.ts")), "no step runs test/all.ts in workerd");
});

test("every Node-only store-*.test.ts has a step of its own", () => {
  for (const file of all.filter((f) => nodeOnly(f) && f.startsWith("test/node/store-"))) {
    assert.ok(steps.some((s) => s.args.includes(file)), `no step of scripts/test-steps.mjs runs ${file}`);
  }
});

test("runtime-neutral tests import no Node module", async () => {
  const neutral = await importGraph(["test/all.ts"]);
  const node = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const offenders = [...neutral].flatMap(([file, imports]) => imports.filter((i) => node.has(i)).map((i) => `${file} → ${i}`));
  assert.equal(offenders, [], offenders.join(", "));
});

test.run();
