// The Markdown report (`--format markdown`): a verdict, counts per group, the MUST failures and
// warnings, and every scenario folded away, ready to paste into a pull request. Runtime-neutral.
import { SCENARIO_GROUPS } from "./groups.ts";
import type { Report, ReportResult } from "./report.ts";
import { formatTiers, tierLabel } from "./report.ts";

/** Makes text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

const VERDICT: Record<Report["verdict"], string> = {
  conformant: "conformant",
  "non-conformant": "**non-conformant**",
  unusable: "**unusable run**",
};

/** `name version`, or just the name; a library not in JavaScript says its language: `oauth2 (Ruby) 1.4.4`. */
export function subjectLabel(report: Pick<Report, "subject">): string {
  const { name, version, language } = report.subject;
  const named = language && language !== "JavaScript" ? `${name} (${language})` : name;
  return version ? `${named} ${version}` : named;
}

/** Counts of one group's results by status. */
export function countByStatus(results: readonly ReportResult[]): Record<ReportResult["status"], number> {
  const counts = { pass: 0, fail: 0, warn: 0, unusable: 0, "n/a": 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/**
 * Formats a JSON report as Markdown for a pull request.
 *
 * @example
 * ```ts
 * const markdown = formatMarkdown(toReport(subject, host.name, await runSubject(subject, scenarios, host)));
 * ```
 */
export function formatMarkdown(report: Report): string {
  const s = report.summary;
  const faked = report.results.filter((r) => r.fakeTimers).length;
  const lines = [
    `### Conformance: ${subjectLabel(report)}: ${VERDICT[report.verdict]}`,
    "",
    `Graded by ${report.suite.name} ${report.suite.version} on ${report.runtime}, ${report.date.slice(0, 10)}. ` +
      `${report.results.length} scenario${report.results.length === 1 ? "" : "s"}: ${formatTiers(s)}` +
      `${faked ? ` (${faked} on fake timers)` : ""}.`,
    "",
    "Tiers: **RFC MUST** is a MUST, REQUIRED or SHALL sentence of an RFC that binds the client (each scenario quotes it); " +
      "**SHOULD** likewise; **ROBUST** is what a good token manager does beyond the RFCs (caching, single flight, retries, errors that do not leak).",
  ];
  if (report.transport.problem) lines.push("", `> **The grades below mean nothing:** ${cell(report.transport.problem)}`);
  lines.push("", "| group | pass | RFC MUST fail | warn (SHOULD, ROBUST) | unusable | n/a |", "|---|---:|---:|---:|---:|---:|");
  for (const group of SCENARIO_GROUPS) {
    const results = report.results.filter((r) => r.group === group);
    if (!results.length) continue;
    const c = countByStatus(results);
    lines.push(`| ${group} | ${c.pass} | ${c.fail} | ${c.warn} | ${c.unusable} | ${c["n/a"]} |`);
  }
  const list = (title: string, results: ReportResult[]) => {
    if (!results.length) return;
    lines.push("", `**${title}**`, "");
    for (const r of results) lines.push(`- \`${r.id}\` ${cell(r.title)} (${tierLabel(r.severity)}): ${cell(r.evidence)}`);
  };
  list("RFC MUST failures", report.results.filter((r) => r.status === "fail"));
  list("SHOULD misses", report.results.filter((r) => r.missed.includes("SHOULD")));
  list("ROBUST misses", report.results.filter((r) => r.missed.includes("ROBUST")));
  list("Unusable (no token in the scenario's set-up)", report.results.filter((r) => r.status === "unusable"));
  lines.push("", "<details><summary>Every scenario, with the sentence it grades</summary>", "", "| id | tier | result | evidence | basis |", "|---|---|---|---|---|");
  for (const r of report.results) {
    const basis = r.basis.map((b) => `${tierLabel(b.tier)} (${b.source}): ${b.tier === "ROBUST" ? b.text : `"${b.text}"`}`).join(" · ");
    lines.push(`| ${r.id} | ${tierLabel(r.severity)} | ${r.status === "fail" ? "**FAIL**" : r.status} | ${cell(r.evidence)} | ${cell(basis)} |`);
  }
  lines.push("", "</details>", "");
  return lines.join("\n");
}
