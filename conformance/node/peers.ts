// Node entry, a test step: runs every peer adapter (each in its own process) so that none can rot.
// A peer that is non-conformant is a finding, not a failure; a failure is an adapter that does not
// load, crashes, never reaches env.fetch (or goes around it), or cannot get a token at all.
// Prints one line per peer, then "N passed, N failed".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { subjectLabel } from "../markdown.ts";
import { formatTiers, REPORT_SCHEMA_VERSION } from "../report.ts";
import { type ChildRun, runInChild } from "./child.ts";
import { formatFindings } from "./findings-lines.ts";
import { PEERS } from "./matrix-subjects.ts";

/** Why a peer's run shows a broken adapter, or `undefined` when the run is usable. */
function problemOf(run: ChildRun): string | undefined {
  if (run.timedOut) return "did not finish before the deadline";
  const report = run.report;
  if (run.code === 2) return report?.transport.problem ?? run.output.trim().split("\n").at(-1) ?? "unusable run";
  if (run.code !== 0 && run.code !== 1) return `crashed (exit ${run.code})`;
  if (!report) return "wrote no report";
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION) return `report schemaVersion ${report.schemaVersion}`;
  const smoke = report.results.find((r) => r.id === "RESP-01");
  if (smoke && smoke.status !== "pass" && smoke.status !== "warn") return `cannot get a token in the default flow (RESP-01: ${smoke.evidence})`;
  return undefined;
}

const dir = mkdtempSync(join(tmpdir(), "conformance-peers-"));
let passed = 0;
let failed = 0;
try {
  const queue = PEERS.map((name, i) => ({ name, file: join(dir, `${i}.json`) }));
  const runs: ChildRun[] = [];
  // Two at a time: two cores.
  await Promise.all([0, 1].map(async () => {
    for (let next = queue.shift(); next; next = queue.shift()) runs.push(await runInChild(next.name, next.file, { deadlineMs: 90_000 }));
  }));
  for (const name of PEERS) {
    const run = runs.find((r) => r.subject === name)!;
    const problem = problemOf(run);
    const report = run.report;
    if (problem) {
      failed++;
      process.stdout.write(`FAIL ${name}: ${problem}\n${run.output.split("\n").slice(-15).join("\n")}\n`);
      continue;
    }
    passed++;
    const errors = report!.results.filter((r) => r.checks.some((c) => c.message.startsWith("scenario error:"))).map((r) => r.id);
    process.stdout.write(
      `ok   ${subjectLabel(report!)}: ${report!.verdict} (${formatTiers(report!.summary)}), ` +
        `${report!.transport.fetchCalls} requests through env.fetch` + (errors.length ? `; scenario errors in ${errors.join(", ")}` : "") + "\n",
    );
    process.stdout.write(formatFindings(report!));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`peers: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
