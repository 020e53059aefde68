// Node entry: `npm run conformance:matrix`. Grades every library of MATRIX_SUBJECTS, each in its
// own process, and writes docs/conformance-matrix.md (or the file given as the first argument):
// one table, the three tiers apart, each peer failure with its cause (findings.ts). Lists the peer
// misses no finding explains. Exit code 2 when a run is unusable or crashed (nothing is written).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatMatrix, unexplained } from "../matrix.ts";
import type { Report } from "../report.ts";
import { runInChild } from "./child.ts";
import { MATRIX_SUBJECTS, PROCESS_ARGS, PROCESS_SUBJECTS } from "./matrix-subjects.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = resolve(root, process.argv[2] ?? "docs/conformance-matrix.md");
const dir = mkdtempSync(join(tmpdir(), "conformance-matrix-"));
const reports: Report[] = [];
let broken = 0;
try {
  for (const [i, subject] of MATRIX_SUBJECTS.entries()) {
    const run = await runInChild(subject, join(dir, `${i}.json`), PROCESS_SUBJECTS.has(subject) ? { deadlineMs: 900_000, args: PROCESS_ARGS } : {});
    const usable = !run.timedOut && (run.code === 0 || run.code === 1) && run.report !== undefined;
    const s = run.report?.summary;
    process.stdout.write(`${usable ? "graded " : "BROKEN "} ${subject}: ${run.report && s ? `${run.report.verdict} (RFC MUST failures ${s.mustFailures}, SHOULD misses ${s.shouldMisses}, robustness ${s.robust.passed}/${s.robust.graded}, n/a ${s.notApplicable})` : `exit ${run.code}${run.timedOut ? " (deadline)" : ""}`}\n`);
    if (!usable) {
      broken++;
      process.stdout.write(run.output.split("\n").slice(-20).join("\n") + "\n");
    } else reports.push(run.report!);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (broken) {
  process.stdout.write(`${broken} run(s) unusable: ${out} not written\n`);
  process.exit(2);
}
const untraced = unexplained(reports);
for (const line of untraced) process.stdout.write(`untraced: ${line}\n`);
if (untraced.length) process.stdout.write(`${untraced.length} peer miss(es) without a cause in conformance/findings.ts (written as "not traced yet")\n`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, formatMatrix(reports, { command: "npm run conformance:matrix", date: new Date().toISOString() }));
process.stdout.write(`wrote ${out}\n`);
