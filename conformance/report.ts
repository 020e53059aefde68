// Grading and printing: the summary, the table, the closing lines and the JSON report (whose
// shape report.schema.json describes). Runtime-neutral.
import { groupOf, type ScenarioGroup } from "./groups.ts";
import type { SubjectRun } from "./harness.ts";
import { transportProblem, type TransportReport } from "./transport.ts";
import type { ScenarioResult, Subject, SubjectCapability } from "./types.ts";
import { SUITE_NAME, SUITE_VERSION } from "./version.ts";

/** The version of the JSON report's shape; report.schema.json pins it. */
export const REPORT_SCHEMA_VERSION = 2;

/**
 * Counts, the three tiers apart: RFC MUST failures, SHOULD misses, the robustness score. A
 * scenario passes when it passed or failed only SHOULD or ROBUST checks (a warning).
 */
export interface Summary {
  /** Scenarios that passed, warnings included. */
  passed: number;
  /** Scenarios with a failed RFC MUST check (the same as {@link Summary.mustFailures}). */
  failed: number;
  /** Scenarios whose only failed checks are SHOULD or ROBUST. */
  warnings: number;
  /** Scenarios not run for a missing capability. */
  notApplicable: number;
  /** Scenarios whose positive control failed: the subject got no token in their set-up. */
  unusable: number;
  /** Scenarios with a failed RFC MUST check. */
  mustFailures: number;
  /** Scenarios with a failed SHOULD check. */
  shouldMisses: number;
  /** Scenarios with ROBUST checks that ran, and how many of them passed every ROBUST check. */
  robust: { passed: number; graded: number };
  /** No RFC MUST scenario failed. */
  conformant: boolean;
}

/** Counts a run's results. */
export function summarize(results: readonly ScenarioResult[]): Summary {
  const count = (s: ScenarioResult["status"]) => results.filter((r) => r.status === s).length;
  const failed = count("fail");
  const graded = results.filter((r) => r.status !== "n/a" && r.status !== "unusable" && r.checks.some((c) => c.severity === "ROBUST"));
  return {
    passed: count("pass") + count("warn"),
    failed,
    warnings: count("warn"),
    notApplicable: count("n/a"),
    unusable: count("unusable"),
    mustFailures: failed,
    shouldMisses: results.filter((r) => r.missed.includes("SHOULD")).length,
    robust: { passed: graded.filter((r) => !r.missed.includes("ROBUST")).length, graded: graded.length },
    conformant: failed === 0,
  };
}

/** The tier as reports print it: an RFC MUST is spelled out. */
export function tierLabel(severity: string): string {
  return severity.split("/").map((t) => (t === "MUST" ? "RFC MUST" : t)).join("/");
}

/**
 * The verdict of a run: `unusable` when the subject did not use the transport it was handed
 * (the grades mean nothing), else `conformant` or `non-conformant`.
 */
export type Verdict = "conformant" | "non-conformant" | "unusable";

/** One scenario in the JSON report: the result and its group. */
export interface ReportResult extends ScenarioResult {
  /** The catalogue group (the id's prefix). */
  group: ScenarioGroup;
}

/** The JSON report; report.schema.json is its schema. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** The suite that graded. */
  suite: { name: string; version: string };
  /** The library graded. */
  subject: { name: string; language?: string; version?: string; capabilities: SubjectCapability[]; clockSource?: string };
  /** The runtime that ran the suite (`node v20.20.2`). */
  runtime: string;
  /** When the run ended (ISO 8601). */
  date: string;
  durationMs: number;
  verdict: Verdict;
  summary: Summary;
  transport: TransportReport & {
    /** Why the run is unusable, when it is. */
    problem?: string;
  };
  /** Promise rejections nobody handled during the run (where the runner counts them). */
  unhandledRejections?: number;
  results: ReportResult[];
}

/** Builds the JSON report of a run (the harness has already redacted the results). */
export function toReport(subject: Pick<Subject, "name" | "language" | "version" | "capabilities" | "clockSource">, runtime: string, run: SubjectRun, extra: { unhandledRejections?: number } = {}): Report {
  const summary = summarize(run.results);
  const problem = transportProblem(run.transport, run.results.filter((r) => r.status !== "n/a").length);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    suite: { name: SUITE_NAME, version: SUITE_VERSION },
    subject: {
      name: subject.name,
      ...(subject.language !== undefined ? { language: subject.language } : {}),
      ...(subject.version !== undefined ? { version: subject.version } : {}),
      capabilities: [...subject.capabilities],
      ...(subject.clockSource !== undefined ? { clockSource: subject.clockSource } : {}),
    },
    runtime,
    date: new Date().toISOString(),
    durationMs: run.durationMs,
    verdict: problem ? "unusable" : summary.conformant ? "conformant" : "non-conformant",
    summary,
    transport: { ...run.transport, ...(problem ? { problem } : {}) },
    ...(extra.unhandledRejections !== undefined ? { unhandledRejections: extra.unhandledRejections } : {}),
    results: run.results.map((r) => ({ ...r, group: groupOf(r.id) })),
  };
}

const LABEL: Record<ScenarioResult["status"], string> = { pass: "pass", fail: "FAIL", warn: "warn", unusable: "UNUSBL", "n/a": "n/a" };

/** The table: id, tier, result, one line of evidence. */
export function formatTable(results: readonly ScenarioResult[], width = 150): string {
  const lines = [`${"id".padEnd(9)} ${"tier".padEnd(22)} ${"result".padEnd(6)} evidence`];
  for (const r of results) {
    const evidence = r.evidence.replace(/\s+/g, " ");
    const head = `${r.id.padEnd(9)} ${tierLabel(r.severity).padEnd(22)} ${LABEL[r.status].padEnd(6)} `;
    lines.push(head + (evidence.length > width - head.length ? evidence.slice(0, width - head.length - 1) + "…" : evidence));
  }
  return lines.join("\n");
}

/** The three tiers in one line: `RFC MUST failures 0, SHOULD misses 1, robustness 40/42, n/a 3`. */
export function formatTiers(s: Summary): string {
  return `RFC MUST failures ${s.mustFailures}, SHOULD misses ${s.shouldMisses}, robustness ${s.robust.passed}/${s.robust.graded}, n/a ${s.notApplicable}` +
    (s.unusable ? `, unusable ${s.unusable}` : "");
}

/**
 * The closing lines: SHOULD misses and ROBUST misses listed apart, unusable scenarios, RFC MUST
 * failures, the verdict with the three tiers, then `N passed, N failed` (an unusable scenario
 * counts as failed there: the suite could not grade it).
 */
export function formatSummary(subject: string, results: readonly ScenarioResult[]): string {
  const s = summarize(results);
  const lines: string[] = [];
  for (const r of results.filter((r) => r.missed.includes("SHOULD") && r.status !== "fail")) lines.push(`SHOULD missed: ${r.id} ${r.evidence}`);
  for (const r of results.filter((r) => r.status === "warn" && !r.missed.includes("SHOULD"))) lines.push(`ROBUST missed: ${r.id} ${r.evidence}`);
  for (const r of results.filter((r) => r.status === "unusable")) lines.push(`UNUSABLE: ${r.id} ${r.evidence}`);
  for (const r of results.filter((r) => r.status === "fail")) lines.push(`FAILED RFC MUST: ${r.id} ${r.evidence}`);
  const faked = results.filter((r) => r.fakeTimers).length;
  lines.push(`${subject}: ${s.conformant ? "conformant" : "NON-CONFORMANT"} (${results.length} scenarios: ${formatTiers(s)}${faked ? `; ${faked} on fake timers` : ""})`);
  lines.push(`${s.passed} passed, ${s.failed + s.unusable} failed`);
  return lines.join("\n");
}
