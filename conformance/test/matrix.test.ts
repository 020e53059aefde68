import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Report, ReportResult } from "@tokenkeeper/conformance";
import { FINDINGS } from "../findings.ts";
import { formatMatrix, unexplained } from "../matrix.ts";
import { MATRIX_SUBJECTS } from "../node/matrix-subjects.ts";
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
  assert.match(matrix, /\*\*bad-lib \(Go\) 4\.5\.6\*\*\n- `REQ-01` title of REQ-01 \(RFC MUST\): query \\\| dropped\. Cause in bad-lib 4\.5\.6: \[drops the query\]\(https:\/\/github\.com\/o\/bad-lib\/blob\/v4\.5\.6\/src\/a\.ts#L10\)\./);
  assert.match(matrix, /- `EXP-01` title of EXP-01 \(SHOULD\): no SHOULD\. Cause: not traced yet\./);
});

test("lists the misses of peers that no finding explains", () => {
  assert.equal(unexplained(reports, findings), ["good-lib EXP-01: no finding", "bad-lib EXP-01: no finding", "bad-lib ERR-05: no finding"]);
});

test("says what was graded: capabilities, time mode, the runtime and the suite version", () => {
  assert.match(matrix, /@tokenkeeper\/conformance 0\.1\.0 on node v20\.20\.2/);
  assert.match(matrix, /\| good-lib \| 1\.2\.3 \| client_secret_post, fake_timers \| real \| 3 \|/);
});

test("the time column says how a program in another language sees the clock, not 'injected clock'", () => {
  const py = report("py-lib", "1.0.0", [result("EXP-01", "pass")], "Python");
  py.subject.capabilities = ["client_secret_post", "clock"];
  py.subject.clockSource = "time.time() replaced (one process per instance)";
  const js = report("js-lib", "2.0.0", [result("EXP-01", "pass")]);
  js.subject.capabilities = ["client_secret_post", "clock"];
  const both = formatMatrix([py, js], { command: "c", date: "2026-11-29T00:00:00.000Z" }, {});
  assert.match(both, /\| py-lib \| 1\.0\.0 \| client_secret_post, clock \| time\.time\(\) replaced \(one process per instance\) \| 1 \|/);
  assert.match(both, /\| js-lib \| 2\.0\.0 \| client_secret_post, clock \| injected clock \| 1 \|/);
  assert.match(both, /\*\*py-lib \(Python\) 1\.0\.0\*\*/);
});

// The published matrix (docs/conformance-matrix.md), as `npm run conformance:matrix` wrote it.
const published = readFileSync(new URL("../../docs/conformance-matrix.md", import.meta.url), "utf8");

test("the published matrix grades every library of the matrix list, JavaScript and other languages, in one table", () => {
  const rows = published.split("\n").filter((l) => /^\| [^-|][^|]* \| [A-Z][A-Za-z]* \| /.test(l) && !l.startsWith("| library"));
  assert.is(rows.length, MATRIX_SUBJECTS.length, rows.join("\n"));
  for (const language of ["JavaScript", "Go", "Python", "Ruby"]) assert.ok(rows.some((r) => r.split("|")[2]!.trim() === language), `a ${language} library`);
});

test("the published matrix traces every miss of every peer, in every tier, to a line of the graded version", () => {
  assert.not.match(published, /not traced yet/);
  assert.not.match(published, /\(checked against [^)]*, graded /);
  // Each library's section lists its misses as "- `ID` …"; every one of a peer carries its cause.
  let library = "";
  const untraced: string[] = [];
  for (const line of published.split("\n")) {
    const head = /^\*\*(.+?)\*\*/.exec(line);
    if (head) library = head[1]!;
    if (line.startsWith("- `") && !library.startsWith("tokenkeeper ") && !/ Cause in .+: \[.+\]\(https:\/\/github\.com\/[^)]+\/blob\/[^)]+#L\d+\)\.$/.test(line)) untraced.push(`${library}: ${line.slice(0, 120)}`);
  }
  assert.equal(untraced, []);
});

test("every finding links a line at a tag of the library's repository", () => {
  for (const [name, peer] of Object.entries(FINDINGS)) {
    for (const [ids, f] of Object.entries(peer.byScenario)) {
      assert.match(f.link, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[\w.-]+\/.+#L\d+$/, `${name} ${ids}`);
      for (const id of ids.split(",")) assert.match(id, /^[A-Z]+-\d\d$/, `${name}: ${id}`);
    }
  }
});

test.run();
