// Runs scenarios against a subject: builds each scenario's fake servers and clock, records checks
// and evidence, closes what was opened, grades, and redacts secrets from everything it reports.
import type { FakeClock } from "./fake/clock.ts";
import { createClock } from "./fake/clock.ts";
import type { FakeServer, Script } from "./fake/server.ts";
import { createFakeServer, DEFAULT_CLIENT } from "./fake/server.ts";
import type {
  CheckRecord,
  ErrorInfo,
  FaultMetrics,
  Host,
  Scenario,
  ScenarioResult,
  Severity,
  Subject,
  SubjectCapability,
  SubjectEnv,
  SubjectInstance,
} from "./types.ts";

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
}

class ScenarioFailure extends Error {}

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

export interface RunOptions {
  /** Per-scenario deadline (real ms). @default 20000 */
  timeoutMs?: number;
}

/** Runs one scenario and grades it. */
export async function runScenario(subject: Subject, scenario: Scenario, host: Host, options: RunOptions = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const base = { id: scenario.id, title: scenario.title, severity: scenario.severityLabel ?? scenario.severity, source: scenario.source };
  const missing = [
    ...(scenario.requires?.subject ?? []).filter((c) => !subject.capabilities.includes(c)).map((c) => `subject capability '${c}'`),
    ...(scenario.requires?.host ?? []).filter((c) => !host.capabilities.includes(c)).map((c) => `host capability '${c}'`),
  ];
  if (missing.length) {
    return { ...base, status: "n/a", evidence: `needs ${missing.join(", ")}`, checks: [], notes: [], durationMs: 0 };
  }
  const checks: CheckRecord[] = [];
  const notes: string[] = [];
  const logs: string[] = [];
  const secrets = new Set<string>([DEFAULT_CLIENT.secret!]);
  const servers: FakeServer[] = [];
  const instances: SubjectInstance[] = [];
  const clock = createClock();
  let summary = "";
  let metrics: FaultMetrics | undefined;
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
        ...overrides,
      };
    },
    async create(env) {
      if (env.auth.method !== "none" && env.auth.method !== "private_key_jwt") secrets.add(env.auth.clientSecret);
      const instance = await subject.create(env);
      instances.push(instance);
      return instance;
    },
    async attempt(fn) {
      try {
        return { ok: true, value: await fn() };
      } catch (error) {
        return { ok: false, error, info: subject.classify(error) };
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
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = options.timeoutMs ?? 20_000;
    await Promise.race([
      scenario.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ScenarioFailure(`scenario did not finish within ${deadline} ms`)), deadline);
      }),
    ]);
  } catch (err) {
    const message = err instanceof ScenarioFailure ? err.message : `scenario error: ${String((err as Error)?.stack ?? err).split("\n").slice(0, 2).join(" ")}`;
    checks.push({ ok: false, severity: scenario.severity, message });
  } finally {
    clearTimeout(timer);
    await Promise.allSettled(instances.map((i) => Promise.race([i.close(), new Promise((r) => setTimeout(r, 1000))])));
  }
  for (const s of servers) for (const v of s.secrets) secrets.add(v);
  const failed = checks.filter((c) => !c.ok);
  const mustFailed = failed.filter((c) => c.severity === "MUST");
  const status = mustFailed.length ? "fail" : failed.length ? "warn" : "pass";
  const first = mustFailed[0] ?? failed[0];
  const said = first ? first.message : summary || checks.map((c) => c.message).join("; ");
  const evidence = metrics ? [formatMetrics(metrics), said].filter(Boolean).join("; ") : said;
  const clean = (t: string) => redact(t, secrets);
  return {
    ...base,
    status,
    evidence: clean(evidence),
    checks: checks.map((c) => ({ ...c, message: clean(c.message) })),
    notes: notes.map(clean),
    ...(metrics ? { metrics } : {}),
    durationMs: Date.now() - started,
  };
}

/** Runs scenarios with bounded concurrency; results come back in scenario order. */
export async function runSuite(subject: Subject, scenarios: readonly Scenario[], host: Host, options: RunOptions & { concurrency?: number } = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const i = next++;
      results[i] = await runScenario(subject, scenarios[i]!, host, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, scenarios.length) }, worker));
  return results;
}

/** "API calls N, failed N, token requests N": the head of a fault scenario's evidence line. */
export function formatMetrics(m: FaultMetrics): string {
  return `API calls ${m.apiCalls}, failed ${m.failedCalls}, token requests ${m.tokenRequests}`;
}

/** Describes an attempt in a few words, for evidence. */
export function describe(a: Attempt<unknown>): string {
  if (a.ok) return "ok";
  const i = a.info;
  return `${i.kind}${i.error ? ` ${i.error}` : ""}${i.status ? ` (${i.status})` : ""}`;
}
