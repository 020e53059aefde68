// Grading and printing: the table, the summary line and the JSON report. Runtime-neutral.
import type { ScenarioResult } from "./types.ts";

/** Counts: a scenario passes when it passed or failed only non-MUST checks (a warning). */
export interface Summary {
  passed: number;
  failed: number;
  warnings: number;
  notApplicable: number;
  conformant: boolean;
}

export function summarize(results: readonly ScenarioResult[]): Summary {
  const count = (s: ScenarioResult["status"]) => results.filter((r) => r.status === s).length;
  const failed = count("fail");
  return { passed: count("pass") + count("warn"), failed, warnings: count("warn"), notApplicable: count("n/a"), conformant: failed === 0 };
}

const LABEL: Record<ScenarioResult["status"], string> = { pass: "pass", fail: "FAIL", warn: "warn", "n/a": "n/a" };

/** The table: id, severity, result, one line of evidence. */
export function formatTable(results: readonly ScenarioResult[], width = 140): string {
  const lines = [`${"id".padEnd(9)} ${"severity".padEnd(13)} ${"result".padEnd(6)} evidence`];
  for (const r of results) {
    const evidence = r.evidence.replace(/\s+/g, " ");
    const head = `${r.id.padEnd(9)} ${r.severity.padEnd(13)} ${LABEL[r.status].padEnd(6)} `;
    lines.push(head + (evidence.length > width - head.length ? evidence.slice(0, width - head.length - 1) + "…" : evidence));
  }
  return lines.join("\n");
}

/** The closing lines: warnings listed, then `N passed, N failed`. */
export function formatSummary(subject: string, results: readonly ScenarioResult[]): string {
  const s = summarize(results);
  const lines: string[] = [];
  for (const r of results.filter((r) => r.status === "warn")) lines.push(`warning: ${r.id} (${r.severity}) ${r.evidence}`);
  for (const r of results.filter((r) => r.status === "fail")) lines.push(`FAILED MUST: ${r.id} ${r.evidence}`);
  lines.push(`${subject}: ${s.conformant ? "conformant" : "NON-CONFORMANT"} (${results.length} scenarios: ${s.passed - s.warnings} pass, ${s.warnings} warnings, ${s.failed} MUST failures, ${s.notApplicable} n/a)`);
  lines.push(`${s.passed} passed, ${s.failed} failed`);
  return lines.join("\n");
}

/** The JSON report (already redacted by the harness). */
export function toReport(subject: string, runtime: string, results: readonly ScenarioResult[]): unknown {
  return { subject, runtime, date: new Date().toISOString(), summary: summarize(results), results };
}
