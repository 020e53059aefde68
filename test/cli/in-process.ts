// The command line run in this process, through run() as the bin runs it, with the raw streams
// captured: what a terminal would receive, byte for byte.
import { run } from "../../cli/run.ts";
import { type CliIo, createCliIo } from "../../cli/io.ts";
import type { ProcessStreams } from "../../cli/process-streams.ts";
import type { Ran } from "../package/pack.ts";

/** Options of {@link runInProcess}. */
export interface InProcessOptions {
  /** The folder relative paths resolve from. @default process.cwd() */
  readonly cwd?: string;
  /** Standard input. @default "" */
  readonly stdin?: string;
}

/** Raw streams that keep what is written. */
export function capturingStreams(env: Record<string, string | undefined>, options: InProcessOptions = {}): ProcessStreams & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env,
    cwd: options.cwd ?? process.cwd(),
    writeStdout: (text) => void stdout.push(text),
    writeStderr: (text) => void stderr.push(text),
    readStdin: async () => options.stdin ?? "",
    stdout,
    stderr,
  };
}

/** The I/O a command gets, over capturing streams. */
export function capturingIo(env: Record<string, string | undefined>, options: InProcessOptions = {}): CliIo & { readonly streams: ReturnType<typeof capturingStreams> } {
  const streams = capturingStreams(env, options);
  return { ...createCliIo(streams), streams };
}

/**
 * Runs `tokenkeeper <argv>` in this process.
 *
 * @param argv The arguments after `tokenkeeper`.
 * @param env The environment (nothing of this process's is passed on).
 * @returns Its exit code and everything it wrote, raw.
 */
export async function runInProcess(argv: readonly string[], env: Record<string, string | undefined> = {}, options: InProcessOptions = {}): Promise<Ran> {
  const streams = capturingStreams(env, options);
  const code = await run(argv, streams);
  return { code, stdout: streams.stdout.join(""), stderr: streams.stderr.join("") };
}
