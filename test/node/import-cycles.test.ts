// scripts/import-graph.mjs, which the import cycle check (scripts/import-cycles.mjs) reads: type-only
// imports count with `types`, inline `import("./x.ts").Name` types included, and a dynamic import
// at run time never does.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cycles, importGraph } from "../../scripts/import-graph.mjs";

const test = suite("import graph");
const a = "test/node/fixtures/inline-type-cycle/a.ts";
const b = "test/node/fixtures/inline-type-cycle/b.ts";

test("an inline import type closes a type-only cycle", async () => {
  const graph = await importGraph([a, b], { types: true });
  assert.equal(graph.get(a), [b]);
  assert.equal(cycles(graph).map((c) => [...c].sort()), [[a, a, b].sort()]);
});

test("at run time neither import stays, and the dynamic one is not static", async () => {
  const graph = await importGraph([a, b]);
  assert.equal(graph.get(a), []);
  assert.equal(graph.get(b), []);
  assert.equal(cycles(graph), []);
});

test.run();
