// The doctor's report: sections of findings in plain words, printed as they are found (so a step
// that hangs shows where), each line scrubbed of secrets before it is written.

/** How a finding weighs: `warn` and `fail` are problems; the others are not. */
export type Level = "ok" | "note" | "warn" | "fail" | "skip";

const LABEL: Record<Level, string> = { ok: "ok", note: "note", warn: "WARN", fail: "FAIL", skip: "skip" };

/** Collects and prints the doctor's findings. */
export class Report {
  readonly #write: (text: string) => void;
  #problems = 0;

  /**
   * @param write Where lines go; it must scrub secrets.
   */
  constructor(write: (text: string) => void) {
    this.#write = write;
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
    this.#write(`\n${title}\n`);
  }

  /**
   * Reports a finding.
   *
   * @param level How it weighs.
   * @param text What was found, in plain words.
   */
  add(level: Level, text: string): void {
    if (level === "warn" || level === "fail") this.#problems++;
    const [first, ...rest] = text.split("\n");
    this.#write(`  ${LABEL[level].padEnd(5)} ${first}\n${rest.map((line) => `        ${line}\n`).join("")}`);
  }

  /** A line outside any finding (the header and the result). */
  print(text: string): void {
    this.#write(`${text}\n`);
  }
}
