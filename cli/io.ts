// Node-only: what a command reads and the one way it writes. Every text a command prints passes
// here: scrubbed of every secret the command knows, then with terminal controls escaped
// (terminal-text.ts). Commands never see the raw streams.
import { Redactor } from "../src/lib/command.ts";
import type { ProcessStreams } from "./process-streams.ts";
import { escapeControls } from "./terminal-text.ts";

/** What a command reads, and the only way it writes. */
export interface CliIo {
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths resolve from. */
  readonly cwd: string;
  /** Reads standard input to its end. */
  readStdin(): Promise<string>;
  /** Writes to standard output, scrubbed of secrets and with terminal controls escaped. */
  stdout(text: string): void;
  /** Writes to standard error, scrubbed of secrets and with terminal controls escaped. */
  stderr(text: string): void;
  /**
   * Writes the command's result to standard output with terminal controls escaped but not
   * scrubbed: the access token `tokenkeeper token` was asked for. Nothing else uses it (a test
   * says so); scrub any other part of a result with {@link CliIo.scrub} first.
   */
  result(text: string): void;
  /** Remembers a secret: nothing written after shows it (values under 4 characters are ignored). */
  secret(value: string | undefined): void;
  /** `text` without any secret remembered so far. */
  scrub(text: string): string;
}

/**
 * Makes the I/O commands run with from the process's raw streams.
 *
 * @param streams The raw streams, environment and folder.
 * @returns The I/O, whose writers scrub and escape everything.
 * @example Running a command with the process's streams
 * ```ts
 * const io = createCliIo(processStreams());
 * io.stdout("\u001b[2J"); // prints \u001b[2J as text; the screen is not cleared
 * ```
 */
export function createCliIo(streams: ProcessStreams): CliIo {
  const redactor = new Redactor();
  const cleanLine = (line: string): string => {
    const scrubbed = redactor.scrub(line);
    const escaped = escapeControls(scrubbed);
    // Only a secret that itself spells an escape (a literal "\u001b") can appear by escaping.
    return escaped === scrubbed ? escaped : redactor.scrub(escaped);
  };
  // Line by line: a secret found only in a decoded spelling cuts the rest of its text, and that
  // must be the rest of its line, not the lines after it and the newline that ends it.
  const clean = (text: string): string => text.split("\n").map(cleanLine).join("\n");
  return {
    env: streams.env,
    cwd: streams.cwd,
    readStdin: () => streams.readStdin(),
    stdout: (text) => streams.writeStdout(clean(text)),
    stderr: (text) => streams.writeStderr(clean(text)),
    result: (text) => streams.writeStdout(escapeControls(text)),
    secret: (value) => redactor.add(value),
    scrub: (text) => redactor.scrub(text),
  };
}
