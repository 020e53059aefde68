// Node-only: the `tokenkeeper` command line as a function: picks the subcommand and returns the
// exit code. It never exits the process (main.ts does).
import { readFileSync } from "node:fs";
import { conformanceCommand } from "./conformance.ts";
import { doctorCommand } from "./doctor.ts";
import { EXIT } from "./exit-codes.ts";
import { MAIN_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";
import { tokenCommand } from "./token.ts";

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  token: tokenCommand,
  doctor: doctorCommand,
  conformance: conformanceCommand,
};

/** tokenkeeper's version, from the package.json beside the sources (`cli/`) or the build (`dist/cli/`). */
function version(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "tokenkeeper" && pkg.version) return pkg.version;
    } catch {
      // Not there: the other layout.
    }
  }
  return "unknown";
}

/**
 * Runs the `tokenkeeper` command line.
 *
 * @param argv The arguments after `tokenkeeper`.
 * @param io Streams, environment and working directory.
 * @returns The exit code (`tokenkeeper --help` lists them).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io[name === undefined ? "stderr" : "stdout"](MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version") return io.stdout(`${version()}\n`), EXIT.ok;
  const command = COMMANDS[name];
  if (command === undefined) {
    // The word is not repeated: it may be a secret typed in the wrong place.
    io.stderr("tokenkeeper: unknown command: use token, doctor or conformance (tokenkeeper --help)\n");
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch {
    // The message is not printed: nothing has scrubbed it of secrets.
    io.stderr("tokenkeeper: unexpected error (a bug: please report it with the command you ran, without secrets)\n");
    return EXIT.internal;
  }
}
