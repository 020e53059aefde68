// Node entry, a test step: grades process subjects (clients in other languages, PROTOCOL.md), each
// in its own child process, like the peers step (peers.ts) grades JavaScript libraries. A library's
// non-conformance is a finding (docs/conformance-matrix.md), not a failure; a failure is a program
// or adapter that is broken: it does not build or start, breaks the protocol, crashes, never
// reaches env.fetch, or cannot get a token in the default flow (RESP-01).
//   tsx --conditions=tokenkeeper-source conformance/node/polyglot.ts go-x-oauth2 [authlib ...]
// Prints one line per subject, then "N passed, N failed".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { subjectLabel } from "../markdown.ts";
import { formatTiers, REPORT_SCHEMA_VERSION } from "../report.ts";
import { type ChildRun, runInChild } from "./child.ts";
import { formatFindings } from "./findings-lines.ts";
import { PROCESS_ARGS } from "./matrix-subjects.ts";


/** Why a run shows a broken program or adapter, or `undefined` when it is usable. */
function processProblem(run: ChildRun): string | undefined {
  if (run.timedOut) return "did not finish before the deadline";
  const report = run.report;
  if (run.code === 2) return report?.transport.problem ?? run.output.trim().split("\n").at(-1) ?? "unusable run";
  if (run.code !== 0 && run.code !== 1) return `crashed (exit ${run.code})`;
  if (!report) return "wrote no report";
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION) return `report schemaVersion ${report.schemaVersion}`;
  // Program.#break and missed answers are announced on the suite's stderr (process/subject.ts).
  const protocol = run.output.split("\n").filter((line) => line.includes("[protocol error:"));
  if (protocol.length) return `${protocol.length} protocol error(s), the first: ${protocol[0]!.slice(0, 400)}`;
  const smoke = report.results.find((r) => r.id === "RESP-01");
  if (smoke && smoke.status !== "pass" && smoke.status !== "warn") return `cannot get a token in the default flow (RESP-01: ${smoke.evidence})`;
  return undefined;
}

const names = process.argv.slice(2);
if (!names.length) throw new TypeError("usage: polyglot.ts <subject> ...");
const dir = mkdtempSync(join(tmpdir(), "conformance-polyglot-"));
let passed = 0;
let failed = 0;
try {
  for (const [i, name] of names.entries()) {
    const run = await runInChild(name, join(dir, `${i}.json`), { deadlineMs: 900_000, args: PROCESS_ARGS });
    const problem = processProblem(run);
    if (problem) {
      failed++;
      process.stdout.write(`FAIL ${name}: ${problem}\n${run.output.split("\n").slice(-15).join("\n")}\n`);
      continue;
    }
    passed++;
    const report = run.report!;
    process.stdout.write(`ok   ${subjectLabel(report)}: ${report.verdict} (${formatTiers(report.summary)}), ${report.transport.fetchCalls} requests through env.fetch\n`);
    process.stdout.write(formatFindings(report));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`polyglot: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
