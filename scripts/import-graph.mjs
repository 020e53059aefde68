// The import graph of TypeScript modules as esbuild resolves it (every import that stays at run
// time: `import type` is erased; with `types`, type-only imports too, inline ones included), and
// the cycles in it. Used by scripts/import-cycles.mjs and by
// test/node/test-files.test.ts; no hand-written import parser is involved.
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

/**
 * An import type written inline, `import("./x.ts").Name` or `typeof import("./x.ts")`: a type
 * position, as a dynamic import at run time is followed by `.then`, `.catch`, `.finally` or nothing.
 */
const inlineTypeImport = /\btypeof\s+import\(\s*(["'][^"']+["'])\s*\)|\bimport\(\s*(["'][^"']+["'])\s*\)(?=\s*\.\s*(?!then\b|catch\b|finally\b)[A-Za-z_$])/g;

/**
 * Makes `import type …`, `export type … from` and inline import types plain imports, so that
 * esbuild keeps them.
 */
const typeImportsKept = {
  name: "type-imports-kept",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const inline = [...text.matchAll(inlineTypeImport)].map((m) => `import ${m[1] ?? m[2]};\n`).join("");
      return { contents: inline + text.replace(/^(\s*)(?:import|export)\s+type\b[^;]*?\bfrom\s*(["'][^"']+["'])/gm, "$1import $2"), loader: "ts" };
    });
  },
};

/**
 * The import graph of `files` and everything they import: module → the modules it imports, as
 * paths from the repository root. Packages and Node's modules are leaves, named as imported
 * (`uvu`, `node:fs`).
 * @param {string[]} files Paths from the repository root.
 * @param {{ types?: boolean, dynamic?: boolean }} [options] `types`: count `import type` (and
 *   inline `import("…").Name` types) too;
 *   `dynamic`: count `import("…")` of a literal path too.
 * @returns {Promise<Map<string, string[]>>}
 */
export async function importGraph(files, options = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: files,
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    packages: "external",
    external: ["node:*", "cloudflare:*"],
    conditions: ["tokenkeeper-source"],
    outdir: "import-graph",
    logLevel: "error",
    plugins: options.types ? [typeImportsKept] : [],
  });
  const graph = new Map();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    graph.set(file, input.imports.filter((i) => options.dynamic || i.kind !== "dynamic-import").map((i) => i.path));
  }
  return graph;
}

/**
 * The cycles of a graph: for each strongly connected component with a cycle, one cycle through it,
 * as a path that starts and ends at the same module.
 * @param {Map<string, string[]>} graph
 * @returns {string[][]}
 */
export function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue; // a package
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    for (let w; w !== v;) {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(new Set(component));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // One cycle per component: a shortest way back to its first module, staying inside it.
  return components.map((component) => {
    const start = [...component].sort()[0];
    const from = new Map([[start, undefined]]);
    const queue = [start];
    for (const v of queue) {
      for (const w of graph.get(v) ?? []) {
        if (w === start) {
          const path = [start];
          for (let u = v; u !== undefined && u !== start; u = from.get(u)) path.splice(1, 0, u);
          return [...path, start];
        }
        if (component.has(w) && !from.has(w)) {
          from.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

