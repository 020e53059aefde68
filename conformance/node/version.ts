// Node-only: the installed version of an npm package, as seen from a module's location.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Reads `<dir>/node_modules/<name>/package.json` in the nearest ancestor of `from` that has it
 * (Node's lookup, without `exports` getting in the way).
 *
 * @param name An npm package name (`openid-client`, `@badgateway/oauth2-client`).
 * @param from A file URL or path the lookup starts from.
 * @returns The version, or `undefined` when the package is not installed there.
 */
export function installedVersion(name: string, from: string | URL): string | undefined {
  let dir = dirname(typeof from === "string" && !from.startsWith("file:") ? from : fileURLToPath(from));
  for (;;) {
    const file = join(dir, "node_modules", name, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === name && typeof pkg.version === "string") return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
