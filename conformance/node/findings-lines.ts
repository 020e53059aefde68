// The findings of one graded peer as lines for a test step's output (peers.ts, polyglot.ts): the
// RFC MUST failures, SHOULD misses, ROBUST misses, unusable scenarios and n/a apart, each miss with
// its cause from findings.ts, or "not traced" when none explains it.
import { findingFor } from "../findings.ts";
import type { Report, ReportResult } from "../report.ts";

const ids = (results: readonly ReportResult[]) => results.map((r) => r.id).join(", ");

/** The misses of a report in tiers, one line each, indented under the step's "ok" line. */
export function formatFindings(report: Report): string {
  const r = report.results;
  const traced = (x: ReportResult) => (findingFor(report.subject.name, x.id) ? x.id : `${x.id} (not traced)`);
  const tiers: [string, ReportResult[]][] = [
    ["RFC MUST failures", r.filter((x) => x.status === "fail")],
    ["SHOULD misses", r.filter((x) => x.missed.includes("SHOULD") && x.status !== "fail")],
    ["ROBUST misses", r.filter((x) => x.status === "warn" && !x.missed.includes("SHOULD"))],
    ["unusable", r.filter((x) => x.status === "unusable")],
  ];
  const lines = tiers.filter(([, xs]) => xs.length).map(([label, xs]) => `     ${label}: ${xs.map(traced).join(", ")}\n`);
  const na = r.filter((x) => x.status === "n/a");
  if (na.length) lines.push(`     n/a: ${ids(na)}\n`);
  return lines.join("");
}
