// @tokenkeeper/conformance: the public, runtime-neutral entry (re-exports only). The adapter
// contract is in types.ts, a scenario's in scenario.ts; ADAPTERS.md shows an adapter that lives in another repository. The
// Node command line (`main`) is the "./cli" export.
export type {
  AssertionKey,
  AuthConfig,
  Basis,
  CheckRecord,
  ErrorInfo,
  ErrorKind,
  FaultMetrics,
  FetchLike,
  GetTokenCall,
  Host,
  HostCapability,
  HttpHost,
  ResultStatus,
  ScenarioResult,
  Severity,
  Subject,
  SubjectCapability,
  SubjectEnv,
  SubjectInstance,
  TlsHost,
  TokenResult,
} from "./types.ts";
export { DEFAULT_REQUIRED_SCOPE } from "./types.ts";
export { runScenario, runSubject, runSuite, usesFakeTimers } from "./harness.ts";
export type { RunOptions, SubjectRun, SuiteOptions } from "./harness.ts";
export type { Attempt, Requirements, Scenario, ScenarioContext } from "./scenario.ts";
export { scenarios } from "./scenarios/index.ts";
export { groupOf, SCENARIO_GROUPS } from "./groups.ts";
export type { ScenarioGroup } from "./groups.ts";
export { formatSummary, formatTable, formatTiers, REPORT_SCHEMA_VERSION, summarize, tierLabel, toReport } from "./report.ts";
export type { Report, ReportResult, Summary, Verdict } from "./report.ts";
export { formatMarkdown } from "./markdown.ts";
export { transportProblem } from "./transport.ts";
export type { TransportReport } from "./transport.ts";
export { createClock } from "./fake/clock.ts";
export type { FakeClock } from "./fake/clock.ts";
export { installFakeDate, realNow } from "./fake/date.ts";
export { SUITE_NAME, SUITE_VERSION } from "./version.ts";
