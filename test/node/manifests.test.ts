import { existsSync, readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const root = new URL("../../", import.meta.url);
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, root), "utf8"));
const pkg = read("package.json") as { name: string; version: string; exports: Record<string, string | Record<string, string>>; dependencies?: Record<string, string>; bin?: Record<string, string> };
const deno = read("deno.json") as { name: string; version: string; exports: string | Record<string, string>; imports?: Record<string, string> };

/** The TypeScript source behind a built file: `./dist/src/x.js` is built from `./src/x.ts`. */
function sourceOf(target: string | Record<string, string>): string | undefined {
  const file = typeof target === "string" ? target : target["default"] ?? target["import"];
  return file?.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts");
}

const denoExports = typeof deno.exports === "string" ? { ".": deno.exports } : deno.exports;
const npmExports = Object.fromEntries(Object.entries(pkg.exports).filter(([key]) => key !== "./package.json"));

const manifests = suite("package.json and deno.json");

manifests("publish the same version", () => {
  assert.is(deno.version, pkg.version);
});

manifests("name the same package, deno.json under a JSR scope", () => {
  assert.match(deno.name, /^@[a-z0-9-]+\//);
  assert.is(deno.name.split("/")[1], pkg.name);
});

manifests("export the same subpaths", () => {
  assert.equal(Object.keys(denoExports).sort(), Object.keys(npmExports).sort());
});

manifests("map each subpath to the source its npm build is compiled from", () => {
  for (const [subpath, target] of Object.entries(npmExports)) {
    assert.is(denoExports[subpath], sourceOf(target), `subpath ${subpath}`);
  }
});

manifests("point every deno.json export at a file that exists", () => {
  for (const file of Object.values(denoExports)) assert.ok(existsSync(new URL(file, root)), `${file} is missing`);
});

manifests("give npm types beside every built entry", () => {
  for (const [subpath, target] of Object.entries(npmExports)) {
    assert.type(target, "object", `subpath ${subpath} has conditions`);
    const types = (target as Record<string, string>)["types"];
    assert.is(types, (target as Record<string, string>)["default"]?.replace(/\.js$/, ".d.ts"), `subpath ${subpath} types`);
  }
});

manifests("import oauth4webapi in Deno at the range package.json depends on", () => {
  assert.is(deno.imports?.["oauth4webapi"], `npm:oauth4webapi@${pkg.dependencies?.["oauth4webapi"]}`);
});

manifests("give every entry point a @module doc (JSR shows it as the module's page)", () => {
  for (const file of Object.values(denoExports)) {
    const firstDoc = /\/\*\*[\s\S]*?\*\//.exec(readFileSync(new URL(file, root), "utf8"))?.[0] ?? "";
    assert.match(firstDoc, /^\s*\* @module$/m, `${file}: its first doc comment carries @module`);
  }
});

manifests("declare the tokenkeeper bin, built from cli/main.ts", () => {
  assert.equal(pkg.bin, { tokenkeeper: "./dist/cli/main.js" });
  assert.ok(existsSync(new URL("cli/main.ts", root)));
});

manifests.run();
