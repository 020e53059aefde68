// Runtime-neutral conformance entry core: runs every scenario against tokenkeeper on the calling
// runtime's host and prints the table and the summary (whose last line is "N passed, N failed").
import { runSuite } from "../../conformance/harness.ts";
import { formatSummary, formatTable, summarize } from "../../conformance/report.ts";
import { scenarios } from "../../conformance/scenarios/index.ts";
import { tokenkeeper } from "../../conformance/subjects/tokenkeeper.ts";
import type { Host } from "../../conformance/types.ts";

/**
 * Runs the suite and writes the report through `write`.
 *
 * @returns Whether tokenkeeper is conformant (no MUST scenario failed).
 */
export async function runConformance(host: Host, write: (text: string) => void): Promise<boolean> {
  const started = Date.now();
  const results = await runSuite(tokenkeeper, scenarios, host, { concurrency: 8 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  write(`conformance: subject ${tokenkeeper.name}, ${host.name}, ${scenarios.length} scenarios in ${seconds} s\n\n`);
  write(formatTable(results) + "\n\n");
  write(formatSummary(tokenkeeper.name, results) + "\n");
  return summarize(results).conformant && results.length > 0;
}
