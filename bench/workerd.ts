// `npm run workerd` (here): cold starts on Cloudflare Workers in workerd (miniflare): token
// requests and waiters' added latency, for one isolate and for a fleet of isolates with and
// without a Durable Object store. `--write` puts the table into ../BENCHMARKS.md between its
// workerd markers; `--baseline=DIR` also measures the one-isolate case against the checkout in DIR
// (another branch, to compare). Token endpoint: 500 ms per request.
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { measureWorkerd, percentile, type WorkerdCase, type WorkerdResult } from "./measure/workerd.ts";

const args = process.argv.slice(2);
const write = args.includes("--write");
const baseline = args.find((a) => a.startsWith("--baseline="))?.slice(11);
const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 5);
const delayMs = 500;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const cases: [string, WorkerdCase][] = [
  ...(baseline ? [["One isolate, 30 concurrent cold requests: the baseline checkout", { isolates: 1, requestsPerIsolate: 30, store: "memory", root: baseline }] as [string, WorkerdCase]] : []),
  ["One isolate, 30 concurrent cold requests", { isolates: 1, requestsPerIsolate: 30, store: "memory" }],
  ["Fleet: 3 isolates × 10 concurrent cold requests, memory only", { isolates: 3, requestsPerIsolate: 10, store: "memory" }],
  ["Fleet: 3 isolates × 10 concurrent cold requests, Durable Object store", { isolates: 3, requestsPerIsolate: 10, store: "durable-object" }],
];

const rows: string[] = [];
for (const [label, c] of cases) {
  log(`workerd: ${label}`);
  const r: WorkerdResult = await measureWorkerd(c, { rounds, delayMs });
  const counts = [...new Set(r.tokenRequests)].sort((a, b) => a - b).join(" or ");
  const added = r.addedMs;
  rows.push(`| ${label} | ${counts} | ${r.answered} of ${r.requests} | ${r.firstMs.toFixed(0)} ms | ${percentile(added, 50)} / ${percentile(added, 95)} / ${percentile(added, 100)} ms |`);
}

const table = [
  `| ${rounds} cold starts each, token endpoint ${delayMs} ms | token requests per cold start | answered with a token | first token, end to end (median) | waiters' added latency: median / p95 / max |`,
  "|---|---|---|---|---|",
  ...rows,
].join("\n");
const stamp = `Ran ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} CPUs, Node ${process.version}, workerd through miniflare.`;
process.stdout.write(`\n${table}\n\n${stamp}\n`);

if (write) {
  const path = new URL("../BENCHMARKS.md", import.meta.url);
  const doc = readFileSync(path, "utf8");
  const start = "<!-- workerd:start -->";
  const end = "<!-- workerd:end -->";
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error("BENCHMARKS.md has no workerd:start/workerd:end markers");
  writeFileSync(path, `${doc.slice(0, a + start.length)}\n${table}\n\n${stamp}\n${doc.slice(b)}`);
  log("BENCHMARKS.md updated");
}
process.exit(0);
