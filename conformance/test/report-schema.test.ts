import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPORT_SCHEMA_VERSION, runSubject, scenarios, SUITE_NAME, SUITE_VERSION, toReport, type Report } from "@tokenkeeper/conformance";
import { nodeHost } from "../node/host.ts";
import { tokenkeeperFakeTimers } from "../subjects/tokenkeeper-fake-timers.ts";

const read = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8"));
const schema = read("../report.schema.json");
const pkg = read("../package.json") as { name: string; version: string };
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
const validate = ajv.compile(schema);
const errors = () => ajv.errorsText(validate.errors);

const test = suite("the JSON report");
// Passes, n/a for a host and for a subject capability, fake timers and a fault scenario's metrics.
const ids = ["RESP-01", "AUTH-09", "EXP-01", "ERR-07", "FAULT-04", "SEC-02"];
let report: Report;

test.before(async () => {
  const subject = { ...tokenkeeperFakeTimers, capabilities: tokenkeeperFakeTimers.capabilities.filter((c) => c !== "timeout"), version: "0.1.0" };
  const run = await runSubject(subject, scenarios.filter((s) => ids.includes(s.id)), { ...nodeHost(), capabilities: ["inspect"] });
  report = toReport(subject, "node test", run, { unhandledRejections: 0 });
});

test("validates against report.schema.json", () => {
  assert.ok(validate(JSON.parse(JSON.stringify(report))), errors());
  assert.equal(report.results.map((r) => r.status).sort(), ["n/a", "n/a", "pass", "pass", "pass", "pass"]);
  assert.ok(report.results.find((r) => r.id === "EXP-01")?.fakeTimers);
  assert.ok(report.results.find((r) => r.id === "FAULT-04")?.metrics);
});

test("carries the schemaVersion the schema pins, and the suite's name and version from package.json", () => {
  assert.is(schema.properties.schemaVersion.const, REPORT_SCHEMA_VERSION);
  assert.is(report.schemaVersion, REPORT_SCHEMA_VERSION);
  assert.equal([SUITE_NAME, SUITE_VERSION], [pkg.name, pkg.version]);
});

test("a report with an unknown status or a missing transport does not validate", () => {
  const broken = JSON.parse(JSON.stringify(report));
  broken.results[0].status = "skipped";
  assert.not.ok(validate(broken));
  const noTransport = JSON.parse(JSON.stringify(report));
  delete noTransport.transport;
  assert.not.ok(validate(noTransport));
});

test("lists every scenario's group", () => {
  assert.equal(report.results.map((r) => r.group), ["AUTH", "RESP", "EXP", "ERR", "SEC", "FAULT"]);
});

test.run();
