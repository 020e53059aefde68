// The npm package as a Node service installs it: built with tsconfig.build.json into dist/,
// resolved through package.json "exports" from a node_modules folder, run by plain Node (no tsx).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const root = fileURLToPath(new URL("../../", import.meta.url));
const test = suite("the built npm package");

test("builds to dist/ and serves a token through its exports map under plain Node", () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-package-"));
  try {
    const installed = join(dir, "node_modules", "tokenkeeper");
    mkdirSync(installed, { recursive: true });
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", join(installed, "dist")], { stdio: "pipe" });
    cpSync(join(root, "package.json"), join(installed, "package.json"));
    symlinkSync(join(root, "node_modules", "oauth4webapi"), join(dir, "node_modules", "oauth4webapi"), "dir");
    const exportsMap = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports as Record<string, unknown>;
    const subpaths = Object.keys(exportsMap).filter((key) => key !== "./package.json");
    writeFileSync(join(dir, "check.mjs"), `
      import { createTokenKeeper } from "tokenkeeper";
      ${subpaths.filter((s) => s !== ".").map((s, i) => `import * as sub${i} from "tokenkeeper/${s.slice(2)}";`).join("\n")}
      const keeper = createTokenKeeper({
        tokenEndpoint: "https://as.test/token", clientId: "c", clientSecret: "s",
        fetch: async () => new Response(JSON.stringify({ access_token: "packaged", token_type: "Bearer", expires_in: 60 }), { headers: { "content-type": "application/json" } }),
      });
      const token = await keeper.getToken();
      console.log(JSON.stringify({ token: token.accessToken, subpaths: [${subpaths.filter((s) => s !== ".").map((_, i) => `Object.keys(sub${i}).length`).join(", ")}] }));
    `);
    const output = execFileSync(process.execPath, [join(dir, "check.mjs")], { cwd: dir, encoding: "utf8" });
    const result = JSON.parse(output.trim()) as { token: string; subpaths: number[] };
    assert.is(result.token, "packaged");
    assert.is(result.subpaths.length, subpaths.length - 1);
    assert.ok(result.subpaths.every((n) => n > 0), "every store subpath exports something");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
