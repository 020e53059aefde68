/**
 * Reading a text file, where the runtime has a file system: Deno's own API, else the `node:fs`
 * that Node, Bun and Deno all reach through `process.getBuiltinModule()` (no `node:` import, so
 * the module still loads on Workers and in browsers). Detected once, at module load.
 *
 * @module
 */

/** Reads a whole UTF-8 text file. */
export type ReadTextFile = (path: string) => Promise<string>;

const host = globalThis as {
  Deno?: { readTextFile?: ReadTextFile };
  process?: { getBuiltinModule?: (id: string) => unknown };
};

function detect(): ReadTextFile | undefined {
  const deno = host.Deno?.readTextFile;
  if (typeof deno === "function") return (path) => deno(path);
  const fs = host.process?.getBuiltinModule?.("node:fs/promises") as { readFile?(path: string, encoding: "utf8"): Promise<string> } | undefined;
  return typeof fs?.readFile === "function" ? (path) => fs.readFile!(path, "utf8") : undefined;
}

/** The runtime's way to read a text file; `undefined` where there is no file system (Workers, browsers). */
export const readTextFile: ReadTextFile | undefined = /* @__PURE__ */ detect();
