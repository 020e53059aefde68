/** One thing the test steps need from the machine (scripts/needs.mjs). */
export interface Need {
  /** What steps and other needs call it. */
  name: string;
  /** What needs it, shown when it is missing. */
  why: string;
  /** A command, run from the repository root, that exits 0 when the need is met. */
  check: string[];
  /** Debian packages that meet it, or that `make` needs. */
  debian?: string[];
  /** A command that meets it without root, run after the packages are installed. */
  make?: string[];
  /** Needs to meet first. */
  needs?: string[];
}
/** The needs, one entry each. */
export declare const needs: Need[];

/** What runs the provisioning's commands (scripts/provision.mjs): the machine, or a fake. */
export interface Host {
  /** Whether this process may run apt-get. */
  isRoot: boolean;
  /** Writes progress for the reader. */
  write(text: string): void;
  /** Runs a command; `capture` keeps its output for a failure message. */
  run(argv: readonly string[], options?: { env?: Record<string, string>; capture?: boolean }): Promise<{ code: number; output: string }>;
}
