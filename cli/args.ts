// A small argument parser that never repeats a value it was given: a value on the command line
// may be a secret typed in the wrong place, and error messages end up in logs.

/** How one option is written. */
export interface OptionSpec {
  /** `string` takes a value (`--name value` or `--name=value`); `boolean` takes none. */
  readonly type: "string" | "boolean";
  /** Whether the option may be given more than once (all values are kept). */
  readonly multiple?: boolean;
}

/** The options of a command, by name without the leading `--`. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Parsed options. */
export interface ParsedArgs {
  /** The values of a string option, in order; empty when not given. */
  all(name: string): readonly string[];
  /** The value of a string option; `undefined` when not given. */
  value(name: string): string | undefined;
  /** Whether a boolean option was given. */
  flag(name: string): boolean;
}

/** A command line that cannot be used; the message names options, never values. */
export class UsageError extends Error {
  override name = "UsageError";
}

const SECRET_HINT =
  "the client secret is never read from the command line, where ps and shell history show it: set TOKENKEEPER_CLIENT_SECRET, or use --client-secret-file <path> or --client-secret-stdin";

/**
 * Parses `--name value`, `--name=value` and `--flag` options; `--` ends them.
 *
 * @param argv The arguments after the command name.
 * @param specs The options the command takes.
 * @returns The parsed options.
 * @throws {UsageError} For an unknown option, a missing or unwanted value, a positional argument,
 *   or anything that looks like a client secret.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      if (i + 1 < argv.length) throw new UsageError(`unexpected argument after "--" (this command takes options only)`);
      break;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument in position ${i + 1} (this command takes options only)`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) {
      if (/secret|password/i.test(name)) throw new UsageError(SECRET_HINT);
      throw new UsageError(`unknown option --${name.replace(/[^\w-]/g, "?")}`);
    }
    let value: string;
    if (spec.type === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      value = "";
    } else if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !spec.multiple) throw new UsageError(`--${name} is given more than once`);
    values.set(name, [...list, value]);
  }
  return {
    all: (name) => values.get(name) ?? [],
    value: (name) => values.get(name)?.at(-1),
    flag: (name) => values.has(name),
  };
}
