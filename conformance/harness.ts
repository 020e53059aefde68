// Runs scenarios against a subject: builds each scenario's fake servers and clock, records checks
// and evidence, closes what was opened, grades, and redacts secrets from everything it reports.
import type { FakeClock } from "./fake/clock.ts";
import { createClock } from "./fake/clock.ts";
import { installFakeDate, realNow } from "./fake/date.ts";
import type { FakeServer, Script } from "./fake/server.ts";
import { createFakeServer, DEFAULT_CLIENT } from "./fake/server.ts";
import { DEFAULT_REQUIRED_SCOPE } from "./types.ts";
import type {
  CheckRecord,
  ErrorInfo,
  FaultMetrics,
  Host,
  ScenarioResult,
  Severity,
  Subject,
  SubjectCapability,
  SubjectEnv,
  SubjectInstance,
} from "./types.ts";
import type { Attempt, Scenario, ScenarioContext } from "./scenario.ts";
import type { TransportReport } from "./transport.ts";
import { countingFetch, watchGlobalFetch } from "./transport.ts";


class ScenarioFailure extends Error {}
class ControlFailure extends Error {}

/** Throws out of a scenario after a failed check that makes the rest meaningless. */
export function stop(message: string): never {
  throw new ScenarioFailure(message);
}

/** Replaces every secret in `text` with `[redacted]`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) out = out.split(s).join("[redacted]");
  return out.replace(/SENTINEL_[A-Z]+_[A-Za-z0-9_+/~.=-]*/g, "[redacted]");
}

/** Options of {@link runScenario} and {@link runSuite}. */
export interface RunOptions {
  /**
   * Per-scenario deadline (real ms).
   * @default 20000
   */
  timeoutMs?: number;
}

/**
 * Whether `scenario` runs with the global `Date` following its clock: it needs the `clock`
 * capability, which the subject meets only through `fake_timers`.
 */
export function usesFakeTimers(subject: Subject, scenario: Scenario): boolean {
  const has = (c: SubjectCapability) => subject.capabilities.includes(c);
  return (scenario.requires?.subject ?? []).includes("clock") && !has("clock") && has("fake_timers");
}

/** The capabilities a scenario needs and the subject or host lacks, as words for the report. */
function missingFor(subject: Subject, scenario: Scenario, host: Host): string[] {
  const has = (c: SubjectCapability) => subject.capabilities.includes(c) || (c === "clock" && subject.capabilities.includes("fake_timers"));
  return [
    ...(scenario.requires?.subject ?? []).filter((c) => !has(c)).map((c) => `subject capability '${c}'`),
    ...(scenario.requires?.host ?? []).filter((c) => !host.capabilities.includes(c)).map((c) => `host capability '${c}'`),
  ];
}

/**
 * Runs one scenario and grades it. In fake-timers mode (see {@link usesFakeTimers}) the global
 * `Date` follows the scenario's clock while it runs, so such scenarios must not run concurrently
 * with anything else in the process; {@link runSuite} takes care of that.
 */
export async function runScenario(subject: Subject, scenario: Scenario, host: Host, options: RunOptions = {}): Promise<ScenarioResult> {
  const started = realNow();
  const base = { id: scenario.id, title: scenario.title, severity: scenario.severityLabel ?? scenario.severity, source: scenario.source, basis: scenario.basis.map((b) => ({ ...b })) };
  const missing = missingFor(subject, scenario, host);
  if (missing.length) {
    return { ...base, status: "n/a", missed: [], evidence: `needs ${missing.join(", ")}`, checks: [], notes: [], fetchCalls: 0, durationMs: 0 };
  }
  const fakeTimers = usesFakeTimers(subject, scenario);
  let fetchCalls = 0;
  // What create() threw, to report a refused configuration as such, not as a scenario error.
  const refusals = new WeakSet<object>();
  const checks: CheckRecord[] = [];
  const notes: string[] = [];
  const logs: string[] = [];
  const secrets = new Set<string>([DEFAULT_CLIENT.secret!]);
  const servers: FakeServer[] = [];
  const instances: SubjectInstance[] = [];
  const clock = createClock();
  let summary = "";
  let metrics: FaultMetrics | undefined;
  let unusable: string | undefined;
  const ctx: ScenarioContext = {
    subject,
    host,
    clock,
    logs,
    has: (c) => subject.capabilities.includes(c),
    server(script = {}) {
      const s = createFakeServer({ clock, ...script });
      servers.push(s);
      return s;
    },
    env(server, overrides = {}) {
      return {
        fetch: server.fetch,
        now: () => clock.now(),
        tokenEndpoint: server.tokenEndpoint,
        clientId: server.client.id,
        auth: { method: "client_secret_post", clientSecret: server.client.secret ?? DEFAULT_CLIENT.secret! },
        baseUrl: "https://rs.test",
        log: (line) => void logs.push(line),
        ...(subject.capabilities.includes("scope_required") ? { scope: DEFAULT_REQUIRED_SCOPE } : {}),
        ...overrides,
      };
    },
    async create(env) {
      if (env.auth.method !== "none" && env.auth.method !== "private_key_jwt") secrets.add(env.auth.clientSecret);
      let instance: SubjectInstance;
      try {
        instance = await subject.create({ ...env, fetch: countingFetch(env.fetch, () => void fetchCalls++) });
      } catch (error) {
        if (typeof error === "object" && error !== null) refusals.add(error);
        throw error;
      }
      instances.push(instance);
      return instance;
    },
    async attempt(fn) {
      try {
        return { ok: true, value: await fn() };
      } catch (error) {
        return { ok: false, error, info: await classifySafely(subject, error) };
      }
    },
    check(ok, message, severity = scenario.severity) {
      checks.push({ ok, severity, message });
      return ok;
    },
    evidence: (line) => void (summary = line),
    note: (line) => void notes.push(line),
    metrics: (counts) => void (metrics = { ...counts }),
    secret: (value) => void secrets.add(value),
    async control(what, fn) {
      try {
        await fn();
      } catch (error) {
        const info = await classifySafely(subject, error);
        throw new ControlFailure(`positive control failed: ${what}: no token (${describe({ ok: false, error, info })}: ${info.message.split("\n")[0]}); the failure cases prove nothing`);
      }
    },
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restoreDate = fakeTimers ? installFakeDate(clock) : undefined;
  try {
    const deadline = options.timeoutMs ?? 20_000;
    await Promise.race([
      scenario.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ScenarioFailure(`scenario did not finish within ${deadline} ms`)), deadline);
      }),
    ]);
  } catch (err) {
    if (err instanceof ControlFailure) unusable = err.message;
    else {
      const message = err instanceof ScenarioFailure
        ? err.message
        : typeof err === "object" && err !== null && refusals.has(err)
        ? `create() refused the scenario's configuration: ${describe({ ok: false, error: err, info: await classifySafely(subject, err) })}: ${String((err as Error)?.message ?? err).split("\n")[0]}`
        : `scenario error: ${String((err as Error)?.stack ?? err).split("\n").slice(0, 2).join(" ")}`;
      checks.push({ ok: false, severity: scenario.severity, message });
    }
  } finally {
    clearTimeout(timer);
    await Promise.allSettled(instances.map((i) => Promise.race([i.close(), new Promise((r) => setTimeout(r, 1000))])));
    restoreDate?.();
  }
  for (const s of servers) for (const v of s.secrets) secrets.add(v);
  const failed = checks.filter((c) => !c.ok);
  const mustFailed = failed.filter((c) => c.severity === "MUST");
  const status: ScenarioResult["status"] = unusable ? "unusable" : mustFailed.length ? "fail" : failed.length ? "warn" : "pass";
  const missed = unusable ? [] : TIERS.filter((t) => failed.some((c) => c.severity === t));
  const first = mustFailed[0] ?? failed[0];
  const said = unusable ?? (first ? `${first.severity === "MUST" ? "RFC MUST" : first.severity}: ${first.message}` : summary || checks.map((c) => c.message).join("; "));
  const evidence = metrics ? [formatMetrics(metrics), said].filter(Boolean).join("; ") : said;
  const clean = (t: string) => redact(t, secrets);
  return {
    ...base,
    status,
    missed,
    evidence: clean(evidence),
    checks: checks.map((c) => ({ ...c, message: clean(c.message) })),
    notes: notes.map(clean),
    ...(metrics ? { metrics } : {}),
    fetchCalls,
    ...(fakeTimers ? { fakeTimers: true as const } : {}),
    durationMs: realNow() - started,
  };
}

/** Options of {@link runSuite}. */
export interface SuiteOptions extends RunOptions {
  /**
   * Scenarios run at the same time (fake-timers scenarios always run one at a time, after the
   * others).
   * @default 8
   */
  concurrency?: number;
}

/**
 * Runs scenarios with bounded concurrency; results come back in scenario order. Scenarios in
 * fake-timers mode run last, one at a time, since the `Date` they install is global.
 */
export async function runSuite(subject: Subject, scenarios: readonly Scenario[], host: Host, options: SuiteOptions = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(scenarios.length);
  const indexes = scenarios.map((_, i) => i);
  const serial = indexes.filter((i) => usesFakeTimers(subject, scenarios[i]!) && missingFor(subject, scenarios[i]!, host).length === 0);
  const parallel = indexes.filter((i) => !serial.includes(i));
  const drain = async (queue: number[]) => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) results[i] = await runScenario(subject, scenarios[i]!, host, options);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, parallel.length) }, () => drain(parallel)));
  await drain(serial);
  return results;
}

/** A graded run of one subject: the results and what the subject did with the transport. */
export interface SubjectRun {
  results: ScenarioResult[];
  transport: TransportReport;
  /** Real time the run took. */
  durationMs: number;
}

/**
 * Runs a suite like {@link runSuite} while watching the global `fetch`: the transport report
 * says how many requests went through `env.fetch` and which went around it to the fake hosts.
 */
export async function runSubject(subject: Subject, scenarios: readonly Scenario[], host: Host, options: SuiteOptions = {}): Promise<SubjectRun> {
  const started = realNow();
  const watch = watchGlobalFetch();
  try {
    const results = await runSuite(subject, scenarios, host, options);
    return { results, transport: { fetchCalls: results.reduce((n, r) => n + r.fetchCalls, 0), bypassed: [...watch.bypassed] }, durationMs: realNow() - started };
  } finally {
    watch.stop();
  }
}

/** "API calls N, failed N, token requests N": the head of a fault scenario's evidence line. */
export function formatMetrics(m: FaultMetrics): string {
  return `API calls ${m.apiCalls}, failed ${m.failedCalls}, token requests ${m.tokenRequests}`;
}

const TIERS: readonly Severity[] = ["MUST", "SHOULD", "ROBUST"];

/** `subject.classify(error)`, awaited; an adapter's classify that throws is reported as `other`. */
async function classifySafely(subject: Subject, error: unknown): Promise<ErrorInfo> {
  try {
    return await subject.classify(error);
  } catch (failure) {
    return { kind: "other", message: `classify() threw: ${String((failure as Error)?.message ?? failure)}` };
  }
}

/** Describes an attempt in a few words, for evidence. */
export function describe(a: Attempt<unknown>): string {
  if (a.ok) return "ok";
  const i = a.info;
  return `${i.kind}${i.error ? ` ${i.error}` : ""}${i.status ? ` (${i.status})` : ""}`;
}
