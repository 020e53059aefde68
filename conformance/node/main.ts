// Node-only: the command line as a function, for `tokenkeeper conformance` and the
// `tokenkeeper-conformance` bin. Grades one subject, prints a table, Markdown or JSON, writes the
// JSON report, and returns the exit code (it never exits the process itself).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runSubject } from "../harness.ts";
import { formatMarkdown } from "../markdown.ts";
import { formatSummary, formatTable, toReport } from "../report.ts";
import { scenarios } from "../scenarios/index.ts";
import type { Subject } from "../types.ts";
import { nodeHost } from "./host.ts";
import { loadSubject, SubjectLoadError } from "./subjects.ts";

/** Exit codes of {@link main}. */
export const EXIT = {
  /** No MUST scenario failed. */
  conformant: 0,
  /** A MUST scenario failed. */
  nonConformant: 1,
  /** Bad arguments, a subject that does not load, or a run whose grades mean nothing. */
  unusable: 2,
} as const;

/** Options of {@link main}. */
export interface MainOptions {
  /**
   * Directory that a relative `--subject` path and `--json` file resolve from.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Where output goes.
   * @default process.stdout.write
   */
  write?: (text: string) => void;
}

const USAGE = `usage: tokenkeeper-conformance [--subject <name|path>] [--only ID,ID] [--format table|markdown|json]
                               [--json <file>] [--fake-timers] [--concurrency N] [--timeout-ms MS]

  --subject      a built-in subject or a module path, resolved from the working directory, whose
                 default export is a Subject (see ADAPTERS.md). Built in: tokenkeeper,
                 tokenkeeper-fake-timers, oauth4webapi, openid-client, @badgateway/oauth2-client,
                 simple-oauth2, @azure/msal-node; in other languages, from Debian packages
                 (PROTOCOL.md): go-x-oauth2, authlib, ruby-oauth2
  --only         scenario ids to run
  --format       what to print: table (default), markdown (for a pull request), json
  --json         where the JSON report goes (default reports/conformance-<subject>.json)
  --fake-timers  grade a subject that reads the global Date in fake-timers mode
  --concurrency  scenarios run at the same time (default 8)
  --timeout-ms   real time one scenario may take before it is failed (default 20000); more for
                 subjects whose every instance is a program (60000 or more on a busy machine)

exit code: 0 conformant, 1 a MUST scenario failed, 2 unusable (bad arguments, subject not
loaded, nothing reached env.fetch)
`;

/**
 * Runs the conformance command line: grades one subject and reports.
 *
 * @param argv The arguments after the command name (`["--subject", "./my-adapter.ts"]`).
 * @param options Working directory and output sink.
 * @returns The exit code: 0 conformant, 1 non-conformant, 2 unusable (see {@link EXIT}).
 * @example From a command's entry point
 * ```ts
 * import { main } from "@tokenkeeper/conformance/cli";
 * process.exit(await main(process.argv.slice(2)));
 * ```
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        subject: { type: "string", default: "tokenkeeper" },
        only: { type: "string" },
        format: { type: "string", default: "table" },
        json: { type: "string" },
        "fake-timers": { type: "boolean", default: false },
        concurrency: { type: "string", default: "8" },
        "timeout-ms": { type: "string", default: "20000" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    write(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT.unusable;
  }
  if (values.help) return write(USAGE), EXIT.conformant;
  const format = values.format;
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values["timeout-ms"]);
  if (format !== "table" && format !== "markdown" && format !== "json") return write(`--format ${format}: use table, markdown or json\n`), EXIT.unusable;
  if (!Number.isInteger(concurrency) || concurrency < 1) return write(`--concurrency ${values.concurrency}: use a positive integer\n`), EXIT.unusable;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1000) return write(`--timeout-ms ${values["timeout-ms"]}: use an integer of at least 1000\n`), EXIT.unusable;

  let subject: Subject;
  try {
    subject = await loadSubject(values.subject, cwd);
  } catch (error) {
    if (!(error instanceof SubjectLoadError)) throw error;
    write(`${error.message}\n`);
    return EXIT.unusable;
  }
  if (values["fake-timers"] && !subject.capabilities.includes("fake_timers")) subject = { ...subject, capabilities: [...subject.capabilities, "fake_timers"] };
  const only = values.only?.split(",").map((s) => s.trim().toUpperCase());
  const selected = only ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
  if (only && selected.length !== only.length) {
    const unknown = only.filter((id) => !scenarios.some((s) => s.id === id));
    return write(`--only: unknown scenario id(s) ${unknown.join(", ")}\n`), EXIT.unusable;
  }

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  const host = nodeHost();
  let run;
  try {
    run = await runSubject(subject, selected, host, { concurrency, timeoutMs });
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  const report = toReport(subject, host.name, run, { unhandledRejections: unhandled.length });
  const file = resolve(cwd, values.json ?? `reports/conformance-${subject.name.replace(/[^\w.-]+/g, "_")}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2) + "\n");

  if (format === "json") write(JSON.stringify(report, null, 2) + "\n");
  else if (format === "markdown") write(formatMarkdown(report));
  else {
    const label = report.subject.version ? `${subject.name} ${report.subject.version}` : subject.name;
    const faked = run.results.filter((r) => r.fakeTimers).length;
    write(`conformance: subject ${label}, ${host.name}, ${selected.length} scenarios in ${(run.durationMs / 1000).toFixed(1)} s${faked ? ` (${faked} on fake timers)` : ""}\n\n`);
    if (report.transport.problem) {
      write(`UNUSABLE RUN: ${report.transport.problem}\n\n`);
      write(`report: ${file} (the results are kept there for debugging; they grade nothing until the adapter is fixed)\n`);
      write(`${subject.name}: unusable run\n`);
    } else {
      write(formatTable(run.results) + "\n\n");
      if (unhandled.length) write(`note: ${unhandled.length} unhandled rejection(s) during the run\n`);
      write(`report: ${file}\n`);
      write(formatSummary(subject.name, run.results) + "\n");
    }
  }
  return report.verdict === "unusable" ? EXIT.unusable : report.verdict === "conformant" ? EXIT.conformant : EXIT.nonConformant;
}
