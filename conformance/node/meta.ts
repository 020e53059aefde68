// Node entry: proves the suite can fail. Every mutant must be caught by the scenarios it targets
// (fail or warn) and grade like the reference everywhere else; every scenario must be targeted.
import { parseArgs } from "node:util";
import { runSuite } from "../harness.ts";
import { mutants as neutralMutants } from "../mutants/index.ts";
import { scenarios } from "../scenarios/index.ts";
import { tokenkeeper } from "../subjects/tokenkeeper.ts";
import type { ScenarioResult } from "../types.ts";
import { nodeHost } from "./host.ts";
import { nodeMutants } from "./mutants.ts";

const { values } = parseArgs({ options: { only: { type: "string" }, parallel: { type: "string", default: "8" } } });
const all = [...neutralMutants, ...nodeMutants];
const selected = values.only ? all.filter((m) => values.only!.split(",").includes(m.name)) : all;
const host = nodeHost();
const started = Date.now();
const baseline = new Map((await runSuite(tokenkeeper, scenarios, host)).map((r) => [r.id, r]));

let passed = 0;
let failed = 0;
const lines: string[] = [];
const queue = [...selected];
const worker = async () => {
  for (let m = queue.shift(); m; m = queue.shift()) {
    const relevant = scenarios;
    const results = await runSuite(m.subject, relevant, host, { concurrency: 8 });
    const caught = results.filter((r) => r.status !== baseline.get(r.id)?.status);
    const missed = [
      ...m.targets.filter((t) => !results.some((r) => r.id === t && (m.grades?.[t] ? r.status === m.grades[t] : r.status === "fail" || r.status === "warn"))),
      ...(m.unusable ?? []).filter((t) => !results.some((r) => r.id === t && (r.status === "unusable" || r.status === "n/a"))),
    ];
    // A broad mutant may change anything, but nothing it breaks may pass where the reference did not.
    const extra = m.broad
      ? results.filter((r) => r.status === "pass" && baseline.get(r.id)?.status !== "pass")
      : caught.filter((r) => !m.targets.includes(r.id) && !(m.unusable ?? []).includes(r.id));
    const ok = missed.length === 0 && extra.length === 0;
    if (ok) passed++;
    else failed++;
    const show = (r: ScenarioResult) => `${r.id}=${r.status} (${r.evidence.slice(0, 90)})`;
    lines.push(
      `${ok ? "ok  " : "FAIL"} ${m.name.padEnd(30)} caught by ${caught.map((r) => `${r.id}:${r.status}`).join(",") || "nothing"}` +
        (missed.length ? `\n       missed targets: ${missed.map((t) => show(results.find((r) => r.id === t)!)).join("; ")}` : "") +
        (extra.length ? `\n       also changed: ${extra.map(show).join("; ")}` : ""),
    );
    process.stdout.write(lines[lines.length - 1] + "\n");
  }
};
await Promise.all(Array.from({ length: Number(values.parallel) }, worker));

if (!values.only) {
  const targeted = new Set(all.flatMap((m) => m.targets));
  const untargeted = scenarios.filter((s) => !targeted.has(s.id)).map((s) => s.id);
  if (untargeted.length) failed++, process.stdout.write(`FAIL coverage: no mutant targets ${untargeted.join(", ")}\n`);
  else passed++, process.stdout.write(`ok   coverage: every one of ${scenarios.length} scenarios is targeted by a mutant\n`);
}
const changedBaseline = [...baseline.values()].filter((r) => r.status !== "pass");
if (changedBaseline.length) process.stdout.write(`note: reference baseline not all pass: ${changedBaseline.map((r) => `${r.id}=${r.status}`).join(", ")}\n`);
process.stdout.write(`mutants: ${selected.length} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
