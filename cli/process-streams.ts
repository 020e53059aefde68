// Node-only: the running process's streams, environment and working directory, raw. Only main.ts
// uses them, and only to hand them to run(), which gives commands the escaping, scrubbing writer
// of io.ts instead: no command writes to a stream itself.
import process from "node:process";

/** What the process gives a command line: raw writers, environment, folder and stdin. */
export interface ProcessStreams {
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths resolve from. */
  readonly cwd: string;
  /** Writes text to standard output as it is. */
  writeStdout(text: string): void;
  /** Writes text to standard error as it is. */
  writeStderr(text: string): void;
  /** Reads standard input to its end. */
  readStdin(): Promise<string>;
}

/**
 * The running process's streams, environment and working directory.
 *
 * @returns The process's raw I/O.
 */
export function processStreams(): ProcessStreams {
  return {
    env: process.env,
    cwd: process.cwd(),
    writeStdout: (text) => void process.stdout.write(text),
    writeStderr: (text) => void process.stderr.write(text),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
