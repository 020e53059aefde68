// The npm package as users get it: `npm pack` once per test run (tokenkeeper, the conformance
// package, and their dependencies taken from this repository's node_modules), and fresh projects
// that install those tarballs with `npm install --offline`, so nothing but the tarballs and the
// npm cache is needed.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository's root folder. */
export const root: string = fileURLToPath(new URL("../../", import.meta.url));

/** The environment for npm and the commands: the parent `npm test`'s npm_* settings left out. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name) && !name.startsWith("TOKENKEEPER_")) env[name] = value;
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Tarballs made by `npm pack`, by what they hold. */
export interface Tarballs {
  /** tokenkeeper itself. */
  readonly tokenkeeper: string;
  /** @tokenkeeper/conformance. */
  readonly conformance: string;
  /** tokenkeeper's runtime dependency (oauth4webapi). */
  readonly dependencies: readonly string[];
  /** The conformance package's runtime dependencies (hono, jose, @hono/node-server). */
  readonly conformanceDependencies: readonly string[];
  /** The folder they are in. */
  readonly dir: string;
}

/** Runs `npm pack --json` and returns the tarballs' paths. */
async function npmPack(args: readonly string[], dir: string): Promise<string[]> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir, ...args], { cwd: root, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
  // Lifecycle scripts (prepack builds) may print before the JSON.
  const json = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as { filename: string }[];
  return json.map((entry) => join(dir, entry.filename.replace(/^@/, "").replace(/\//g, "-")));
}

let packing: Promise<Tarballs> | undefined;

/**
 * Packs tokenkeeper (its `prepack` builds dist/), the conformance package, and their runtime
 * dependencies from node_modules, once per process.
 *
 * @returns The tarballs.
 */
export function packed(): Promise<Tarballs> {
  packing ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-pack-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const pkg = JSON.parse(readFileSync(join(root, "conformance", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const conformanceDeps = Object.keys(pkg.dependencies).filter((name) => name !== "oauth4webapi");
    // One after the other: both packs build, and the machine is shared.
    const [tokenkeeper] = await npmPack(["."], dir);
    const [conformance] = await npmPack(["-w", "conformance"], dir);
    const deps = await npmPack(["./node_modules/oauth4webapi", ...conformanceDeps.map((name) => `./node_modules/${name}`)], dir);
    return { tokenkeeper: tokenkeeper!, conformance: conformance!, dependencies: deps.slice(0, 1), conformanceDependencies: deps.slice(1), dir };
  })();
  return packing;
}

/** What a command printed and how it exited. */
export interface Ran {
  /** The exit code. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Options of {@link spawnCollect}. */
export interface SpawnOptions {
  /** The working directory. */
  readonly cwd: string;
  /** Variables added to the clean environment. */
  readonly env?: Record<string, string | undefined>;
  /** Written to the command's standard input, which is then closed. */
  readonly stdin?: string;
}

/**
 * Runs a command without blocking this process (the servers it talks to may live here).
 *
 * @param command The program.
 * @param args Its arguments.
 * @param options Working directory, environment and input.
 * @returns What it printed and its exit code.
 */
export function spawnCollect(command: string, args: readonly string[], options: SpawnOptions): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that exits without reading its input closes the pipe first (EPIPE): what it
    // printed and its exit code are the result, so that is no error of the run.
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
  });
}

/** A temporary project with packed tarballs installed. */
export interface Project {
  /** Its folder. */
  readonly dir: string;
  /** Installs more tarballs into it, offline. */
  install(tarballs: readonly string[]): Promise<void>;
  /** Writes a file into it. */
  write(file: string, text: string): void;
  /** Runs a command in it. */
  run(command: string, args: readonly string[], options?: Omit<SpawnOptions, "cwd">): Promise<Ran>;
  /** Runs `npx tokenkeeper …` (never installing from the registry: npm_config_yes=false). */
  npx(args: readonly string[], options?: Omit<SpawnOptions, "cwd"> & { cwd?: string }): Promise<Ran>;
  /** Runs the installed `tokenkeeper` bin (node_modules/.bin) with plain Node. */
  tokenkeeper(args: readonly string[], options?: Omit<SpawnOptions, "cwd">): Promise<Ran>;
  /** Deletes it. */
  remove(): void;
}

/**
 * Makes a fresh project (an ES module package.json) and installs tokenkeeper from its tarball.
 *
 * @param options `conformance: true` installs @tokenkeeper/conformance too.
 * @returns The project.
 */
export async function freshProject(options: { conformance?: boolean } = {}): Promise<Project> {
  const tarballs = await packed();
  const dir = mkdtempSync(join(tmpdir(), "tokenkeeper-project-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fresh-project", version: "1.0.0", private: true, type: "module" }, null, 2));
  const project: Project = {
    dir,
    async install(list) {
      await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", ...list], { cwd: dir, env: cleanEnv() });
    },
    write: (file, text) => writeFileSync(join(dir, file), text),
    run: (command, args, more = {}) => spawnCollect(command, args, { ...more, cwd: dir }),
    npx: (args, more = {}) => spawnCollect("npx", ["tokenkeeper", ...args], { ...more, cwd: more.cwd ?? dir, env: { ...more.env, npm_config_yes: "false" } }),
    tokenkeeper: (args, more = {}) => spawnCollect(process.execPath, [join(dir, "node_modules", ".bin", "tokenkeeper"), ...args], { ...more, cwd: dir }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  await project.install([tarballs.tokenkeeper, ...tarballs.dependencies, ...(options.conformance ? [tarballs.conformance, ...tarballs.conformanceDependencies] : [])]);
  return project;
}
