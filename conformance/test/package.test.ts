import { existsSync, readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";

type Conditions = Record<string, string>;
interface Manifest {
  name: string;
  version: string;
  workspaces?: string[];
  exports: Record<string, string | Conditions>;
  bin?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const here = new URL("../", import.meta.url);
const root = new URL("../../", import.meta.url);
const read = (url: URL): Manifest => JSON.parse(readFileSync(url, "utf8"));
const pkg = read(new URL("package.json", here));
const rootPkg = read(new URL("package.json", root));
const deno = JSON.parse(readFileSync(new URL("deno.json", root), "utf8")) as { imports: Record<string, string> };

const test = suite("the conformance package manifest");

test("is a workspace of the root package and depends on tokenkeeper only as a peer (linked to the sources here)", () => {
  assert.equal(rootPkg.workspaces, ["conformance"]);
  assert.is(pkg.peerDependencies?.["tokenkeeper"], `^${rootPkg.version}`);
  assert.equal((pkg as { peerDependenciesMeta?: object }).peerDependenciesMeta, { tokenkeeper: { optional: true } }, "installs on its own: only the tokenkeeper subject needs it");
  assert.is(pkg.devDependencies?.["tokenkeeper"], "file:..");
  assert.not.ok(pkg.dependencies?.["tokenkeeper"]);
  for (const name of ["hono", "jose", "@hono/node-server"]) assert.ok(pkg.dependencies?.[name], `${name} is a dependency`);
  assert.not.ok(Object.keys({ ...(rootPkg as { dependencies?: object }).dependencies }).some((d) => d !== "oauth4webapi"), "tokenkeeper's only runtime dependency is oauth4webapi");
});

test("resolves tokenkeeper-source first, to a source file that exists, and the build beside it", () => {
  for (const [manifest, base] of [[pkg, here], [rootPkg, root]] as const) {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string") continue;
      const source = target["tokenkeeper-source"];
      assert.is(Object.keys(target)[0], "tokenkeeper-source", `${manifest.name} ${subpath}: the condition comes first`);
      assert.ok(source && existsSync(new URL(source, base)), `${manifest.name} ${subpath}: ${source} exists`);
      assert.is(target["default"], source!.replace(/^\.\//, "./dist/").replace(/\.ts$/, ".js"), `${manifest.name} ${subpath}: default is its build`);
    }
  }
});

test("maps tokenkeeper to the same source in deno.json as the condition does", () => {
  assert.is(deno.imports["tokenkeeper"], (rootPkg.exports["."] as Conditions)["tokenkeeper-source"]);
});

test("exports the bridge for libraries without a fetch option", () => {
  assert.equal(pkg.exports["./bridge"], { "tokenkeeper-source": "./node/bridge.ts", types: "./dist/node/bridge.d.ts", default: "./dist/node/bridge.js" });
});

test("ships the report schema and a bin built from node/cli.ts", () => {
  assert.is(pkg.exports["./report.schema.json"], "./report.schema.json");
  assert.is(pkg.bin?.["tokenkeeper-conformance"], "./dist/node/cli.js");
  assert.ok(existsSync(new URL("node/cli.ts", here)));
});

test.run();
