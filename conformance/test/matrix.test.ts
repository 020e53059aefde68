import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Report, ReportResult } from "@tokenkeeper/conformance";
import { formatMatrix } from "../matrix.ts";

const result = (id: string, status: ReportResult["status"], evidence = "seen"): ReportResult => ({
  id,
  group: id.split("-")[0] as ReportResult["group"],
  title: `title of ${id}`,
  severity: "MUST",
  source: "RFC 6749",
  status,
  evidence,
  checks: [],
  notes: [],
  fetchCalls: 1,
  durationMs: 1,
});

const report = (name: string, version: string, results: ReportResult[]): Report => {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const failed = count("fail");
  return {
    schemaVersion: 1,
    suite: { name: "@tokenkeeper/conformance", version: "0.1.0" },
    subject: { name, version, capabilities: ["client_secret_post", "fake_timers"] },
    runtime: "node v20.20.2",
    date: "2026-11-29T00:00:00.000Z",
    durationMs: 1,
    verdict: failed ? "non-conformant" : "conformant",
    summary: { passed: count("pass") + count("warn"), failed, warnings: count("warn"), notApplicable: count("n/a"), conformant: failed === 0 },
    transport: { fetchCalls: results.length, bypassed: [] },
    results,
  };
};

const test = suite("the conformance matrix");
const matrix = formatMatrix(
  [
    report("good-lib", "1.2.3", [result("REQ-01", "pass"), result("AUTH-01", "pass"), result("EXP-01", "warn")]),
    report("bad-lib", "4.5.6", [result("REQ-01", "fail", "query | dropped"), result("AUTH-01", "n/a"), result("EXP-01", "pass")]),
  ],
  { command: "npm run conformance:matrix", date: "2026-11-29T00:00:00.000Z" },
);

test("has one row per library with its version, verdict and pass/fail/warn/n-a per group", () => {
  assert.match(matrix, /\| good-lib \| 1\.2\.3 \| conformant \| 1\/0\/0\/0 \| 1\/0\/0\/0 \| – \| – \| 0\/0\/1\/0 \|/);
  assert.match(matrix, /\| bad-lib \| 4\.5\.6 \| \*\*non-conformant\*\* \| 0\/\*\*1\*\*\/0\/0 \| 0\/0\/0\/1 \|/);
});

test("names each MUST failure with its evidence, table pipes escaped", () => {
  assert.match(matrix, /\*\*bad-lib 4\.5\.6\*\*\n- `REQ-01` title of REQ-01: query \\\| dropped/);
  assert.match(matrix, /\*\*good-lib 1\.2\.3\*\*: none/);
});

test("says what was graded: capabilities, time mode, the runtime and the suite version", () => {
  assert.match(matrix, /@tokenkeeper\/conformance 0\.1\.0 on node v20\.20\.2/);
  assert.match(matrix, /\| good-lib \| 1\.2\.3 \| client_secret_post, fake_timers \| real \| 3 \|/);
});

test.run();
