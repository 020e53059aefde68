// The npm package as a user installs it: what `npm pack` ships, publint and attw on the tarball,
// and a fresh project that imports it, requires it, type-checks against it (node16, nodenext,
// bundler; no DOM lib; the oldest TypeScript claimed) and runs its bin.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cleanEnv, freshProject, packed, type Project, root, spawnCollect } from "./pack.ts";

const run = promisify(execFile);
const test = suite("the packed npm package");
/** The oldest TypeScript the README claims; installed on first use into node_modules/.cache. */
const OLDEST_TYPESCRIPT = "5.0.4";
let project: Project;

test.before(async () => {
  project = await freshProject();
});
test.after(() => project?.remove());

async function tarEntries(): Promise<string[]> {
  const { stdout } = await run("tar", ["-tzf", (await packed()).tokenkeeper]);
  return stdout.split("\n").filter(Boolean).map((entry) => entry.replace(/^package\//, ""));
}

test("ships the build with declaration maps, the sources they point at, and the bin; no test code", async () => {
  const files = await tarEntries();
  const exportsMap = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports as Record<string, Record<string, string> | string>;
  for (const target of Object.values(exportsMap)) {
    if (typeof target === "string") continue;
    for (const file of [target["default"]!, target["types"]!, `${target["types"]}.map`, target["tokenkeeper-source"]!]) assert.ok(files.includes(file.slice(2)), `${file} is shipped`);
  }
  const installed = join(project.dir, "node_modules", "tokenkeeper");
  for (const map of files.filter((f) => f.endsWith(".d.ts.map"))) {
    const { sources } = JSON.parse(readFileSync(join(installed, map), "utf8")) as { sources: string[] };
    for (const source of sources) assert.ok(existsSync(join(installed, map, "..", source)), `${map} points at ${source}, which is shipped`);
  }
  assert.ok(files.includes("dist/cli/main.js"));
  assert.match(readFileSync(join(installed, "dist/cli/main.js"), "utf8"), /^#!\/usr\/bin\/env node\n/);
  assert.equal(files.filter((f) => /^(test|conformance|bench|examples|scripts|cli)\//.test(f) || /^dist\/cli\/.*\.d\.ts/.test(f)), [], "nothing but the library and the built command");
});

test("publint finds nothing to report in the tarball (strict)", async () => {
  const result = await spawnCollect(process.execPath, [join(root, "node_modules/publint/src/cli.js"), "run", (await packed()).tokenkeeper, "--strict"], { cwd: root });
  assert.is(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, "All good");
});

test("are-the-types-wrong finds no problem for ESM consumers (node16, bundler) in the tarball", async () => {
  const result = await spawnCollect(process.execPath, [join(root, "node_modules/@arethetypeswrong/cli/dist/index.js"), (await packed()).tokenkeeper, "--profile", "esm-only", "--format", "json"], { cwd: root });
  const report = JSON.parse(result.stdout) as { problems?: unknown[]; analysis?: { problems?: { kind: string; resolutionKind: string }[] } };
  const problems = (report.analysis?.problems ?? []).filter((p) => p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs");
  assert.equal(problems, []);
  assert.is(result.code, 0, result.stderr);
});

test("serves a token through every export under plain Node, imported and required", async () => {
  const subpaths = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports as object).filter((s) => s !== "./package.json" && s !== ".");
  project.write("check.mjs", `
    import { createTokenKeeper } from "tokenkeeper";
    ${subpaths.map((s, i) => `import * as sub${i} from "tokenkeeper/${s.slice(2)}";`).join("\n")}
    const keeper = createTokenKeeper({
      tokenEndpoint: "https://as.test/token", clientId: "c", clientSecret: "s",
      fetch: async () => new Response(JSON.stringify({ access_token: "packaged", token_type: "Bearer", expires_in: 60 }), { headers: { "content-type": "application/json" } }),
    });
    const token = await keeper.getToken();
    console.log(JSON.stringify({ token: token.accessToken, subpaths: [${subpaths.map((_, i) => `Object.keys(sub${i}).length`).join(", ")}] }));
  `);
  const imported = await project.run(process.execPath, ["check.mjs"]);
  assert.is(imported.code, 0, imported.stderr);
  const result = JSON.parse(imported.stdout) as { token: string; subpaths: number[] };
  assert.is(result.token, "packaged");
  assert.is(result.subpaths.length, subpaths.length);
  assert.ok(result.subpaths.every((n) => n > 0), "every subpath exports something");
  // require(esm) is on by default from Node 20.19 (and 22.12): the README's install section says so.
  project.write("check.cjs", `const { createTokenKeeper } = require("tokenkeeper"); const { memoryStore } = require("tokenkeeper/stores/memory"); console.log(typeof createTokenKeeper, typeof memoryStore);`);
  const required = await project.run(process.execPath, ["check.cjs"]);
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  if (major > 20 || minor >= 19) {
    assert.is(required.code, 0, required.stderr);
    assert.is(required.stdout.trim(), "function function");
  } else {
    assert.match(required.stderr, "ERR_REQUIRE_ESM");
  }
});

/** A consumer that touches the types most likely to need a lib: keys, key pairs, the disposable keeper. */
const CONSUMER = `import { createTokenKeeper, dpop, privateKeyJwt, sharedStore, type AccessToken, type CryptoKey, type TokenKeeperError } from "tokenkeeper";
import { memoryStore } from "tokenkeeper/stores/memory";
import { redisStore } from "tokenkeeper/stores/redis";
import { denoKvStore } from "tokenkeeper/stores/deno-kv";
import { workersKvStore } from "tokenkeeper/stores/workers-kv";
import { cardlytics } from "tokenkeeper/presets/cardlytics";

export async function main(key: CryptoKey, pair: { privateKey: CryptoKey; publicKey: CryptoKey }): Promise<AccessToken> {
  const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "c", clientAuth: privateKeyJwt({ key: pair.privateKey, kid: "k" }), dpop: dpop(pair), store: memoryStore({ encryptionKey: key }) });
  await keeper[Symbol.asyncDispose]();
  const error: TokenKeeperError | undefined = undefined;
  void [error, sharedStore, redisStore, denoKvStore, workersKvStore, cardlytics];
  return keeper.getToken();
}
`;

/** Type-checks CONSUMER in the project with the given compiler and options; returns tsc's output. */
async function typecheck(tsc: string, name: string, compilerOptions: Record<string, unknown>): Promise<{ code: number; output: string }> {
  project.write(`tsconfig.${name}.json`, JSON.stringify({ compilerOptions: { target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, ...compilerOptions }, files: ["consumer.ts"] }));
  const result = await project.run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`]);
  return { code: result.code, output: `${name}: ${result.stdout}${result.stderr}` };
}

function linkTypesNode(): void {
  const types = join(project.dir, "node_modules", "@types");
  mkdirSync(types, { recursive: true });
  if (!existsSync(join(types, "node"))) symlinkSync(join(root, "node_modules", "@types", "node"), join(types, "node"), "dir");
}

test("type-checks a consumer under node16, nodenext and bundler with lib ES2022 and @types/node only (no DOM), skipLibCheck off", async () => {
  project.write("consumer.ts", CONSUMER);
  linkTypesNode();
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const noDom = { lib: ["ES2022"], types: ["node"] };
  const results = await Promise.all([
    typecheck(tsc, "node16", { module: "node16", moduleResolution: "node16", ...noDom }),
    typecheck(tsc, "nodenext", { module: "nodenext", moduleResolution: "nodenext", ...noDom }),
    typecheck(tsc, "bundler", { module: "esnext", moduleResolution: "bundler", ...noDom }),
  ]);
  for (const result of results) assert.is(result.code, 0, result.output);
});

/** TypeScript OLDEST_TYPESCRIPT, installed once into node_modules/.cache (from the npm cache or registry). */
async function oldestTsc(): Promise<string> {
  const prefix = join(root, "node_modules", ".cache", `typescript-${OLDEST_TYPESCRIPT}`);
  const tsc = join(prefix, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) {
    mkdirSync(prefix, { recursive: true });
    await run("npm", ["install", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--no-save", `typescript@${OLDEST_TYPESCRIPT}`], { env: cleanEnv() });
  }
  return tsc;
}

test(`the oldest TypeScript claimed (${OLDEST_TYPESCRIPT}) accepts the declarations (nodenext, @types/node, skipLibCheck off)`, async () => {
  project.write("consumer.ts", CONSUMER);
  linkTypesNode();
  const result = await typecheck(await oldestTsc(), "oldest", { module: "nodenext", moduleResolution: "nodenext", lib: ["ES2022"], types: ["node"] });
  assert.is(result.code, 0, result.output);
});

test("npx tokenkeeper runs the installed bin: --help lists the commands and exit codes, --version the version", async () => {
  const help = await project.npx(["--help"]);
  assert.is(help.code, 0, help.stderr);
  for (const word of ["token", "doctor", "conformance", "OAUTH_ERROR"]) assert.match(help.stdout, word);
  const version = await project.npx(["--version"]);
  assert.is(version.stdout.trim(), JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  const none = await project.npx([]);
  assert.is(none.code, 2);
});

test.run();
