// The doctor's report: sections of findings in plain words, printed as they are found (so a step
// that hangs shows where), through the command's writer, which scrubs secrets and escapes
// terminal controls. A finding's line is cut at a length a reader can take in: a server's value
// can be 64 KiB long.
import type { CliIo } from "../io.ts";

/** How a finding weighs: `warn` and `fail` are problems; the others are not. */
export type Level = "ok" | "note" | "warn" | "fail" | "skip";

const LABEL: Record<Level, string> = { ok: "ok", note: "note", warn: "WARN", fail: "FAIL", skip: "skip" };
/** The longest line of a finding shown whole. */
const MAX_LINE_CHARACTERS = 1_000;

function cut(line: string): string {
  return line.length > MAX_LINE_CHARACTERS ? `${line.slice(0, MAX_LINE_CHARACTERS)}… (${line.length - MAX_LINE_CHARACTERS} more characters)` : line;
}

/** Collects and prints the doctor's findings. */
export class Report {
  readonly #io: Pick<CliIo, "stdout" | "scrub">;
  #problems = 0;

  /**
   * @param io The command's writer (which scrubs and escapes), and its scrubber: a long line is
   *   scrubbed before it is cut, so that the cut cannot leave part of a secret unrecognised.
   */
  constructor(io: Pick<CliIo, "stdout" | "scrub">) {
    this.#io = io;
  }

  /** How many `warn` and `fail` findings were reported. */
  get problems(): number {
    return this.#problems;
  }

  /**
   * Starts a section.
   *
   * @param title The step's name.
   */
  section(title: string): void {
    this.#io.stdout(`\n${title}\n`);
  }

  /**
   * Reports a finding.
   *
   * @param level How it weighs.
   * @param text What was found, in plain words.
   */
  add(level: Level, text: string): void {
    if (level === "warn" || level === "fail") this.#problems++;
    const [first, ...rest] = text.split("\n").map((line) => (line.length > MAX_LINE_CHARACTERS ? cut(this.#io.scrub(line)) : line));
    this.#io.stdout(`  ${LABEL[level].padEnd(5)} ${first}\n${rest.map((line) => `        ${line}\n`).join("")}`);
  }

  /** A line outside any finding (the header and the result). */
  print(text: string): void {
    this.#io.stdout(`${text}\n`);
  }
}
