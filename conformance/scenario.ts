// The contract of one scenario: what it declares (id, tier, basis, requirements) and the context
// its `run` gets from the harness. Apart from types.ts so that the context can name the fake
// servers, which themselves use types.ts, without a cycle.
import type { FakeClock } from "./fake/clock.ts";
import type { FakeServer, Script } from "./fake/server.ts";
import type { Basis, ErrorInfo, FaultMetrics, Host, HostCapability, Severity, Subject, SubjectCapability, SubjectEnv, SubjectInstance } from "./types.ts";

/** The requirements a scenario declares. */
export interface Requirements {
  /** Subject capabilities; `clock` is also met by `fake_timers`. */
  subject?: readonly SubjectCapability[];
  /** Host capabilities. */
  host?: readonly HostCapability[];
}

/** A scenario: one catalogue id, one file. */
export interface Scenario {
  /** Catalogue id (`AUTH-02`); its prefix is the group. */
  id: string;
  title: string;
  /** Declared tier of its checks; a scenario may grade some checks lower (e.g. "MUST/ROBUST"). */
  severity: Severity;
  /** Shown as the tier column when checks mix tiers. */
  severityLabel?: string;
  /** The normative sources, in short (`RFC 6749 §3.2`). */
  source: string;
  /** One entry per tier its checks use: the binding sentence quoted (MUST, SHOULD) or the reason (ROBUST). */
  basis: readonly Basis[];
  requires?: Requirements;
  run(ctx: ScenarioContext): Promise<void>;
}

/** The outcome of {@link ScenarioContext.attempt}: a value, or the error and its classification. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown; info: ErrorInfo };

/** What a scenario's `run` gets. */
export interface ScenarioContext {
  subject: Subject;
  host: Host;
  clock: FakeClock;
  /** Every log line the subject emitted through `env.log`. */
  logs: string[];
  has(capability: SubjectCapability): boolean;
  /** A fake AS + RS on this scenario's clock. */
  server(script?: Script): FakeServer;
  /** The default env for `server`: static token endpoint, client_secret_post, RS base URL. */
  env(server: FakeServer, overrides?: Partial<SubjectEnv>): SubjectEnv;
  /** Creates a subject instance (closed at the end of the scenario). */
  create(env: SubjectEnv): Promise<SubjectInstance>;
  /** Runs `fn`, catching and classifying what it throws. */
  attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>>;
  /** Records a check; returns `ok`. Severity defaults to the scenario's. */
  check(ok: boolean, message: string, severity?: Severity): boolean;
  /** The evidence line shown when every check passed. */
  evidence(line: string): void;
  /** More evidence for the JSON report. */
  note(line: string): void;
  /**
   * Counts of a fault scenario: kept in the JSON report and put at the head of the evidence line,
   * whether the scenario passes or not.
   */
  metrics(counts: FaultMetrics): void;
  /** A value that must never appear in the report. */
  secret(value: string): void;
  /**
   * The positive control of a failure-case scenario: `fn` must get a token in the scenario's
   * set-up (a well-behaved server, the same configuration). When it does not, the scenario stops
   * and reports `unusable`: a subject that never gets a token passes every "refuses X" check by
   * accident.
   */
  control(what: string, fn: () => Promise<unknown>): Promise<void>;
}
