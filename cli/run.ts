// Node-only: the `tokenkeeper` command line as a function: picks the subcommand and returns the
// exit code. It never exits the process (main.ts does). It is the one place that holds the raw
// streams: every command, the help texts and every error path write through createCliIo(), which
// scrubs secrets and escapes terminal controls.
import { readFileSync } from "node:fs";
import { conformanceCommand } from "./conformance.ts";
import { doctorCommand } from "./doctor.ts";
import { EXIT } from "./exit-codes.ts";
import { MAIN_HELP } from "./help.ts";
import { type CliIo, createCliIo } from "./io.ts";
import type { ProcessStreams } from "./process-streams.ts";
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
 * @param streams The process's raw streams, environment and working directory.
 * @returns The exit code (`tokenkeeper --help` lists them).
 */
export async function run(argv: readonly string[], streams: ProcessStreams): Promise<number> {
  const io = createCliIo(streams);
  // Known before anything is parsed: no message, whatever it is about, shows it.
  io.secret(streams.env["TOKENKEEPER_CLIENT_SECRET"]);
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
