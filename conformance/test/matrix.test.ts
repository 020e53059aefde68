import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Report, ReportResult } from "@tokenkeeper/conformance";
import { formatMatrix, unexplained } from "../matrix.ts";
import { summarize } from "../report.ts";

const result = (id: string, status: ReportResult["status"], evidence = "seen", severity = "MUST"): ReportResult => ({
  id,
  group: id.split("-")[0] as ReportResult["group"],
  title: `title of ${id}`,
  severity,
  source: "RFC 6749",
  basis: [{ tier: "MUST", source: "RFC 6749 §3.2", text: "quoted" }],
  status,
  missed: status === "fail" ? ["MUST"] : status === "warn" ? [severity === "SHOULD" ? "SHOULD" : "ROBUST"] : [],
  evidence,
  checks: [{ ok: status === "pass", severity: severity as "MUST", message: evidence }, { ok: true, severity: "ROBUST", message: "robust" }],
  notes: [],
  fetchCalls: 1,
  durationMs: 1,
});

const report = (name: string, version: string, results: ReportResult[], language?: string): Report => {
  const summary = summarize(results);
  return {
    schemaVersion: 2,
    suite: { name: "@tokenkeeper/conformance", version: "0.1.0" },
    subject: { name, version, capabilities: ["client_secret_post", "fake_timers"], ...(language ? { language } : {}) },
    runtime: "node v20.20.2",
    date: "2026-11-29T00:00:00.000Z",
    durationMs: 1,
    verdict: summary.failed ? "non-conformant" : "conformant",
    summary,
    transport: { fetchCalls: results.length, bypassed: [] },
    results,
  };
};

const test = suite("the conformance matrix");
const findings = { "bad-lib": { version: "4.5.6", byScenario: { "REQ-01": { why: "drops the query", link: "https://github.com/o/bad-lib/blob/v4.5.6/src/a.ts#L10" } } } };
const reports = [
  report("good-lib", "1.2.3", [result("REQ-01", "pass"), result("AUTH-01", "pass"), result("EXP-01", "warn", "no cache", "ROBUST")]),
  report("bad-lib", "4.5.6", [result("REQ-01", "fail", "query | dropped"), result("AUTH-01", "n/a"), result("EXP-01", "warn", "no SHOULD", "SHOULD"), result("ERR-05", "unusable", "no token")], "Go"),
];
const matrix = formatMatrix(reports, { command: "npm run conformance:matrix", date: "2026-11-29T00:00:00.000Z" }, findings);

test("has one row per library with its language, version, verdict and the three tiers apart", () => {
  assert.match(matrix, /\| good-lib \| JavaScript \| 1\.2\.3 \| conformant \| 0 \| 0 \| 2\/3 \| 0 \| 0 \|/);
  assert.match(matrix, /\| bad-lib \| Go \| 4\.5\.6 \| \*\*non-conformant\*\* \| \*\*1\*\* \(REQ-01\) \| 1 \(EXP-01\) \| 2\/2 \| 1 \| \*\*1\*\* \(ERR-05\) \|/);
});

test("names each failure with its evidence, table pipes escaped, and the cause in the peer's source", () => {
  assert.match(matrix, /\*\*bad-lib 4\.5\.6\*\*\n- `REQ-01` title of REQ-01 \(RFC MUST\): query \\\| dropped\. Cause in bad-lib 4\.5\.6: \[drops the query\]\(https:\/\/github\.com\/o\/bad-lib\/blob\/v4\.5\.6\/src\/a\.ts#L10\)\./);
  assert.match(matrix, /- `EXP-01` title of EXP-01 \(SHOULD\): no SHOULD\. Cause: not traced yet\./);
});

test("lists the misses of peers that no finding explains", () => {
  assert.equal(unexplained(reports, findings), ["good-lib EXP-01: no finding", "bad-lib EXP-01: no finding", "bad-lib ERR-05: no finding"]);
});

test("says what was graded: capabilities, time mode, the runtime and the suite version", () => {
  assert.match(matrix, /@tokenkeeper\/conformance 0\.1\.0 on node v20\.20\.2/);
  assert.match(matrix, /\| good-lib \| 1\.2\.3 \| client_secret_post, fake_timers \| real \| 3 \|/);
});

test.run();
