// Node-only: where `tokenkeeper token` keeps its token cache, and the modes it keeps it under:
// the folder 0700 and its files 0600, owned by the user who runs the command. Looser modes are
// repaired with a warning, as ssh warns about a key file; a folder of another user is refused.
import type { Stats } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";

/**
 * The token cache folder: `$XDG_CACHE_HOME/tokenkeeper` when that variable holds an absolute path,
 * else `~/Library/Caches/tokenkeeper` on macOS, `%LOCALAPPDATA%\tokenkeeper` on Windows and
 * `~/.cache/tokenkeeper` elsewhere. Read from the command's environment only (never the
 * password database), so a command run with no home folder caches nothing.
 *
 * @param env The command's environment.
 * @param platform `process.platform`.
 * @returns The folder, or `undefined` when the environment names none.
 */
export function cacheFolder(env: Readonly<Record<string, string | undefined>>, platform: string = process.platform): string | undefined {
  const absolute = (path: string | undefined): path is string => path !== undefined && (path.startsWith("/") || (platform === "win32" && /^[A-Za-z]:[\\/]/.test(path)));
  const xdg = env["XDG_CACHE_HOME"];
  if (absolute(xdg)) return join(xdg, "tokenkeeper");
  if (platform === "win32") {
    const local = env["LOCALAPPDATA"];
    return absolute(local) ? join(local, "tokenkeeper") : undefined;
  }
  const home = env["HOME"];
  if (!absolute(home)) return undefined;
  return platform === "darwin" ? join(home, "Library", "Caches", "tokenkeeper") : join(home, ".cache", "tokenkeeper");
}

/** A mode as ls and chmod write it: `0755`. */
export const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, "0");

/** Whether file modes and owners mean anything here (not on Windows). */
const posix = process.platform !== "win32";

/** The problem with a cache folder or file owned by someone else, or `undefined`. */
export function foreignOwner(stats: Stats): string | undefined {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  return posix && uid !== undefined && stats.uid !== uid ? `belongs to user ${stats.uid}, not to you (${uid})` : undefined;
}

/**
 * Restricts a cache folder or file that its group or others may use to its owner, with a warning.
 *
 * @param path The folder or file.
 * @param stats Its stats.
 * @param wanted 0o700 for the folder, 0o600 for a file.
 * @param warn Where the warning goes.
 */
export async function repairMode(path: string, stats: Stats, wanted: number, warn: (message: string) => void): Promise<void> {
  if (!posix || (stats.mode & 0o077) === 0) return;
  await chmod(path, wanted);
  warn(`the token cache ${stats.isDirectory() ? "folder" : "file"} ${path} was open to ${stats.mode & 0o070 ? (stats.mode & 0o007 ? "its group and others" : "its group") : "others"} (mode ${octal(stats.mode)}): changed to ${octal(wanted)}`);
}

/**
 * Makes the cache folder (mode 0700) or checks the one there: it must be a folder of this user;
 * a looser mode is repaired with a warning.
 *
 * @param dir The folder.
 * @param warn Where warnings go.
 * @returns Whether the folder can be used; when not, a warning said why.
 */
export async function privateFolder(dir: string, warn: (message: string) => void): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stats = await stat(dir);
    if (!stats.isDirectory()) return warn(`the token cache ${dir} is not a folder: not caching (--no-cache hides this warning)`), false;
    const foreign = foreignOwner(stats);
    if (foreign) return warn(`the token cache folder ${dir} ${foreign}: not caching (--no-cache hides this warning)`), false;
    await repairMode(dir, stats, 0o700, warn);
    return true;
  } catch (error) {
    warn(`the token cache folder ${dir} cannot be used (${(error as NodeJS.ErrnoException).code ?? "error"}): not caching (--no-cache hides this warning)`);
    return false;
  }
}
