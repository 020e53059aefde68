// Node-only: the streams, environment and working directory a command uses, so that tests can
// run a command in-process and the entry point can hand it the real process.
import process from "node:process";

/** What a command reads and writes. */
export interface CliIo {
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths resolve from. */
  readonly cwd: string;
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads standard input to its end. */
  readStdin(): Promise<string>;
}

/**
 * The running process's streams, environment and working directory.
 *
 * @returns The process's I/O.
 */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
