// Node-only: where the client secret comes from. Never argv: the environment, a file, or stdin.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type ParsedArgs, UsageError } from "./args.ts";
import type { CliIo } from "./io.ts";

/** A secret and where it was read from (for `doctor` to say, never the value). */
export interface SecretSource {
  /** The secret. */
  readonly value: string;
  /** Where it came from, in words: `TOKENKEEPER_CLIENT_SECRET`, `stdin`, `the file …`. */
  readonly from: string;
}

/** The end of a file or of piped input is not part of a secret. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/**
 * Reads a file named on the command line or in the environment, relative to `cwd`.
 *
 * @param path The path as given.
 * @param cwd The folder a relative path resolves from.
 * @param what What the file holds, for the error message.
 * @returns The file's text.
 * @throws {UsageError} When the file cannot be read.
 */
export async function readNamedFile(path: string, cwd: string, what: string): Promise<string> {
  const file = resolve(cwd, path);
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
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
  let source: SecretSource | undefined;
  if (file !== undefined) source = { value: await readNamedFile(file, io.cwd, "client secret"), from: "--client-secret-file" };
  else if (stdin) source = { value: await io.readStdin(), from: "stdin" };
  else if (envFile && envValue) throw new UsageError("set TOKENKEEPER_CLIENT_SECRET or TOKENKEEPER_CLIENT_SECRET_FILE, not both");
  else if (envFile) source = { value: await readNamedFile(envFile, io.cwd, "client secret"), from: "TOKENKEEPER_CLIENT_SECRET_FILE" };
  else if (envValue) source = { value: envValue, from: "TOKENKEEPER_CLIENT_SECRET" };
  if (source === undefined) return undefined;
  const value = source.from === "TOKENKEEPER_CLIENT_SECRET" ? source.value : withoutFinalNewline(source.value);
  if (value === "") throw new UsageError(`the client secret from ${source.from} is empty`);
  return { value, from: source.from };
}
