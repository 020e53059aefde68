// Node-only: one setting of `token` and `doctor`: from its command-line option, else from its
// environment variable, with where it came from (messages name that, never the value).
import type { ParsedArgs } from "./args.ts";
import type { CliIo } from "./io.ts";

/** A configuration value and where it came from. */
export interface Sourced {
  /** The value. */
  readonly value: string;
  /** The variable or option it was read from. */
  readonly from: string;
}

/**
 * One setting from a command-line option, else from an environment variable.
 *
 * @param args The parsed command line.
 * @param io The environment.
 * @param option The option's name, without `--`.
 * @param variable The variable's name.
 * @returns The value and where it came from, or `undefined` when neither is set.
 */
export function pick(args: ParsedArgs, io: CliIo, option: string, variable: string): Sourced | undefined {
  const fromArgs = args.value(option);
  if (fromArgs !== undefined) return { value: fromArgs, from: `--${option}` };
  const fromEnv = io.env[variable];
  return fromEnv ? { value: fromEnv, from: variable } : undefined;
}
