// Runtime-neutral conformance entry core: runs every scenario against tokenkeeper on the calling
// runtime's host, then the clock scenarios against tokenkeeper reading the global Date (the
// suite's fake-timers mode), and prints each table and summary, then the counts line of
// scripts/counts.mjs for both runs together.
import { runSuite } from "../../conformance/harness.ts";
import { formatCounts } from "../../scripts/counts.mjs";
import { formatSummary, formatTable, summarize } from "../../conformance/report.ts";
import { scenarios } from "../../conformance/scenarios/index.ts";
import { tokenkeeper } from "../../conformance/subjects/tokenkeeper.ts";
import { tokenkeeperFakeTimers } from "../../conformance/subjects/tokenkeeper-fake-timers.ts";
import type { Scenario } from "../../conformance/scenario.ts";
import type { Host, ScenarioResult, Subject } from "../../conformance/types.ts";

/** Runs and prints one subject; the returned results are those of the run. */
async function grade(subject: Subject, selected: readonly Scenario[], host: Host, write: (text: string) => void): Promise<ScenarioResult[]> {
  const started = Date.now();
  const results = await runSuite(subject, selected, host, { concurrency: 8 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  write(`conformance: subject ${subject.name}, ${host.name}, ${selected.length} scenarios in ${seconds} s\n\n`);
  write(formatTable(results) + "\n\n");
  write(formatSummary(subject.name, results) + "\n");
  return results;
}

/**
 * Runs the suite and writes the report through `write`.
 *
 * @returns Whether tokenkeeper passes every RFC MUST and SHOULD scenario, none unusable, in both
 *   time modes, and every clock scenario was graded in fake-timers mode.
 */
export async function runConformance(host: Host, write: (text: string) => void): Promise<boolean> {
  const reference = await grade(tokenkeeper, scenarios, host, write);
  write("\n");
  const clockScenarios = scenarios.filter((s) => s.requires?.subject?.includes("clock"));
  const faked = await grade(tokenkeeperFakeTimers, clockScenarios, host, write);
  const notFaked = faked.filter((r) => !r.fakeTimers).map((r) => r.id);
  if (notFaked.length) write(`fake-timers mode did not run ${notFaked.join(", ")}\n`);
  const [r, f] = [summarize(reference), summarize(faked)];
  write(formatCounts({ passed: r.passed + f.passed, failed: r.failed + r.unusable + f.failed + f.unusable }));
  // The reference must pass every RFC MUST and SHOULD check, and be graded everywhere (no unusable).
  const clean = (s: typeof r) => s.conformant && s.shouldMisses === 0 && s.unusable === 0;
  return clean(r) && reference.length > 0 && clean(f) && faked.length > 0 && notFaked.length === 0;
}
