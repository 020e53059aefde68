// The shape of src/ as src/README.md draws it, read from the import graph esbuild resolves
// (scripts/import-graph.mjs), type-only imports included: the core never imports a feature, and
// the command reaches the library only through its public entries and its one internal entry.
import { readdirSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { importGraph } from "../../scripts/import-graph.mjs";

const test = suite("layout");
const root = new URL("../../", import.meta.url);
const tsUnder = (folder: string) =>
  readdirSync(new URL(folder, root), { recursive: true }).map(String).filter((f) => f.endsWith(".ts")).map((f) => `${folder}${f}`);

/** The package's public entries: mod.ts and the subpath modules of package.json "exports". */
const publicEntries = ["mod.ts", ...tsUnder("src/stores/"), ...tsUnder("src/presets/")];

test("src/lib/ imports only src/lib/: features import the core, never the reverse", async () => {
  const graph = await importGraph(tsUnder("src/lib/"), { types: true });
  const reversed = [...graph].flatMap(([file, imports]) => imports.filter((i) => i.startsWith("src/") && !i.startsWith("src/lib/")).map((i) => `${file} → ${i}`));
  assert.equal(reversed, []);
});

test("a public module imports src/lib/, and another public module only where it builds on it", async () => {
  const publicModules = tsUnder("src/").filter((f) => !f.startsWith("src/lib/"));
  const graph = await importGraph(publicModules, { types: true });
  const buildsOn = (file: string, target: string) =>
    (file.startsWith("src/stores/") && target === "src/shared-store.ts") || (file.startsWith("src/presets/") && target === "src/keeper.ts");
  const across = [...graph].filter(([file]) => publicModules.includes(file)).flatMap(([file, imports]) =>
    imports.filter((i) => i.startsWith("src/") && !i.startsWith("src/lib/") && !buildsOn(file, i)).map((i) => `${file} → ${i}`)
  );
  assert.equal(across, []);
});

test("cli/ imports the library only through its public entries and src/lib/command.ts", async () => {
  const graph = await importGraph(tsUnder("cli/"), { types: true, dynamic: true });
  const allowed = new Set([...publicEntries, "src/lib/command.ts"]);
  const internal = [...graph].filter(([file]) => file.startsWith("cli/")).flatMap(([file, imports]) =>
    imports.filter((i) => (i.startsWith("src/") || i === "mod.ts") && !allowed.has(i)).map((i) => `${file} → ${i}`)
  );
  assert.equal(internal, []);
  assert.ok([...graph].some(([file, imports]) => file.startsWith("cli/") && imports.includes("src/lib/command.ts")), "the command uses its entry");
});

test.run();
