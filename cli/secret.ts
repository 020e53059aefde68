// Node-only: where the client secret comes from. Never argv: the environment, a file, or stdin.
import type { Stats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import process from "node:process";
import { resolve } from "node:path";
import { type ParsedArgs, UsageError } from "./args.ts";
import type { CliIo } from "./io.ts";

/** A secret and where it was read from (for `doctor` to say, never the value). */
export interface SecretSource {
  /** The secret. */
  readonly value: string;
  /** Where it came from, in words: `TOKENKEEPER_CLIENT_SECRET`, `stdin`, `the file …`. */
  readonly from: string;
  /** A warning about the file it came from (see {@link readNamedFile}). */
  readonly warning: string | undefined;
}

/** The end of a file or of piped input is not part of a secret. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/** A file's text, and a warning when other users may read it. */
export interface NamedFile {
  /** The file's text. */
  readonly text: string;
  /** Set when its group or others may read or write the file, with the mode and the fix. */
  readonly warning: string | undefined;
}

/** A path as a shell word, for a command to copy. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The warning for a regular file that its group or others may read or write, as ssh gives. */
function permissionWarning(stat: Stats, file: string, what: string): string | undefined {
  const shared = stat.mode & 0o077;
  if (process.platform === "win32" || !stat.isFile() || shared === 0) return undefined;
  const who = shared & 0o070 ? (shared & 0o007 ? "its group and others" : "its group") : "others";
  const mode = (stat.mode & 0o7777).toString(8).padStart(4, "0");
  return `the ${what} file ${file} is ${shared & 0o044 ? "readable" : "writable"} by ${who} (mode ${mode}): chmod 600 ${shellWord(file)}`;
}

/**
 * Reads a file named on the command line or in the environment, relative to `cwd`. Like ssh with
 * a private key, it warns when its group or others may read or write the file, saying the mode
 * and the fix (on Windows, where modes mean nothing, it does not).
 *
 * @param path The path as given.
 * @param from The flag or variable that named it (errors name it, not the path: a secret pasted
 *   where a path belongs must not come back on stderr).
 * @param cwd The folder a relative path resolves from.
 * @param what What the file holds, for the messages.
 * @returns The file's text, and the warning when there is one.
 * @throws {UsageError} When the file cannot be read.
 */
export async function readNamedFile(path: string, from: string, cwd: string, what: string): Promise<NamedFile> {
  const file = resolve(cwd, path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, "r");
    const warning = permissionWarning(await handle.stat(), file, what);
    return { text: await handle.readFile("utf8"), warning };
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file named by ${from}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  } finally {
    await handle?.close();
  }
}

/**
 * Reads the client secret: `--client-secret-file`, `--client-secret-stdin`,
 * `TOKENKEEPER_CLIENT_SECRET_FILE` or `TOKENKEEPER_CLIENT_SECRET`, in that order of precedence.
 * A final newline is dropped.
 *
 * @param args The parsed command line.
 * @param io The environment and stdin.
 * @returns The secret, or `undefined` when none is configured.
 * @throws {UsageError} When two sources are given on the command line, both variables are set, or
 *   the secret is empty or unreadable.
 */
export async function readClientSecret(args: ParsedArgs, io: CliIo): Promise<SecretSource | undefined> {
  const file = args.value("client-secret-file");
  const stdin = args.flag("client-secret-stdin");
  if (file !== undefined && stdin) throw new UsageError("give --client-secret-file or --client-secret-stdin, not both");
  const envFile = io.env["TOKENKEEPER_CLIENT_SECRET_FILE"];
  const envValue = io.env["TOKENKEEPER_CLIENT_SECRET"];
  let source: { value: string; from: string; warning?: string | undefined } | undefined;
  const fromFile = async (path: string, from: string) => {
    const { text, warning } = await readNamedFile(path, from, io.cwd, "client secret");
    return { value: text, from, warning };
  };
  if (file !== undefined) source = await fromFile(file, "--client-secret-file");
  else if (stdin) source = { value: await io.readStdin(), from: "stdin" };
  else if (envFile && envValue) throw new UsageError("set TOKENKEEPER_CLIENT_SECRET or TOKENKEEPER_CLIENT_SECRET_FILE, not both");
  else if (envFile) source = await fromFile(envFile, "TOKENKEEPER_CLIENT_SECRET_FILE");
  else if (envValue) source = { value: envValue, from: "TOKENKEEPER_CLIENT_SECRET" };
  if (source === undefined) return undefined;
  const value = source.from === "TOKENKEEPER_CLIENT_SECRET" ? source.value : withoutFinalNewline(source.value);
  if (value === "") throw new UsageError(`the client secret from ${source.from} is empty`);
  return { value, from: source.from, warning: source.warning };
}
