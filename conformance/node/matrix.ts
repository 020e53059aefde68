// Node entry: `npm run conformance:matrix`. Grades tokenkeeper and the peer libraries, each in its
// own process, and writes docs/conformance-matrix.md (or the file given as the first argument).
// Exit code 2 when a run is unusable or crashed (the matrix is then not written).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatMatrix } from "../matrix.ts";
import type { Report } from "../report.ts";
import { runInChild } from "./child.ts";

/** The graded libraries, in the matrix's order. */
export const MATRIX_SUBJECTS = ["tokenkeeper", "oauth4webapi", "openid-client", "@badgateway/oauth2-client", "simple-oauth2", "go-x-oauth2", "authlib", "ruby-oauth2"] as const;

/** Clients in other languages (PROTOCOL.md): every instance is a program, so fewer scenarios run at once. */
const PROCESS_SUBJECTS: ReadonlySet<string> = new Set(["go-x-oauth2", "authlib", "ruby-oauth2"]);

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = resolve(root, process.argv[2] ?? "docs/conformance-matrix.md");
const dir = mkdtempSync(join(tmpdir(), "conformance-matrix-"));
const reports: Report[] = [];
let broken = 0;
try {
  for (const [i, subject] of MATRIX_SUBJECTS.entries()) {
    const run = await runInChild(subject, join(dir, `${i}.json`), PROCESS_SUBJECTS.has(subject) ? { deadlineMs: 600_000, args: ["--concurrency", "4"] } : {});
    const usable = !run.timedOut && (run.code === 0 || run.code === 1) && run.report !== undefined;
    process.stdout.write(`${usable ? "graded " : "BROKEN "} ${subject}: ${run.report ? `${run.report.verdict} (${run.report.summary.failed} MUST failures)` : `exit ${run.code}${run.timedOut ? " (deadline)" : ""}`}\n`);
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
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, formatMatrix(reports, { command: "npm run conformance:matrix", date: new Date().toISOString() }));
process.stdout.write(`wrote ${out}\n`);
