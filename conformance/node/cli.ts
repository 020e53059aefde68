// Node entry: `npm run conformance [-- --subject <name|module>] [--only ID,ID] [--json file]`.
// Prints the table, writes the JSON report, exits 1 when a MUST scenario fails.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runSuite } from "../harness.ts";
import { formatSummary, formatTable, summarize, toReport } from "../report.ts";
import { scenarios } from "../scenarios/index.ts";
import { nodeHost } from "./host.ts";
import { loadSubject } from "./subjects.ts";

const { values } = parseArgs({
  options: {
    subject: { type: "string", default: "tokenkeeper" },
    only: { type: "string" },
    json: { type: "string" },
    concurrency: { type: "string", default: "8" },
  },
});

const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => void unhandled.push(reason));

const subject = await loadSubject(values.subject!);
const only = values.only?.split(",").map((s) => s.trim().toUpperCase());
const selected = only ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
const host = nodeHost();
const started = Date.now();
const results = await runSuite(subject, selected, host, { concurrency: Number(values.concurrency) });
const seconds = ((Date.now() - started) / 1000).toFixed(1);

process.stdout.write(`conformance: subject ${subject.name}, ${host.name}, ${selected.length} scenarios in ${seconds} s\n\n`);
process.stdout.write(formatTable(results) + "\n\n");
if (unhandled.length) process.stdout.write(`note: ${unhandled.length} unhandled rejection(s) during the run\n`);
const file = resolve(values.json ?? `reports/conformance-${subject.name.replace(/[^\w.-]+/g, "_")}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ ...(toReport(subject.name, host.name, results) as object), unhandledRejections: unhandled.length }, null, 2));
process.stdout.write(`report: ${file}\n`);
process.stdout.write(formatSummary(subject.name, results) + "\n");
// Exit now: a broken subject may leave timers or sockets behind.
process.exit(summarize(results).conformant ? 0 : 1);
