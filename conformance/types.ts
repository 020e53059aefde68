// The contracts of the conformance suite: subjects (client libraries under test), scenarios, and
// the host (the runtime running the suite). Runtime-neutral: Web APIs only. Everything an adapter
// needs is exported from the package entry (mod.ts); see ADAPTERS.md.

/** How much a failed check weighs: MUST fails the subject, SHOULD warns, ROBUST is scored. */
export type Severity = "MUST" | "SHOULD" | "ROBUST";

/** The `fetch` signature the suite hands to subjects: the global `fetch`'s shape. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * What a subject can be driven to do. A scenario that needs a capability the subject lacks is
 * reported `n/a` instead of failing, so declare only what the adapter really drives.
 *
 * - `client_secret_post`, `client_secret_basic`, `private_key_jwt`: the client authentication
 *   methods the adapter can configure from {@link SubjectEnv.auth}.
 * - `auth_auto`: picks the client authentication from RFC 8414 metadata (`auth.method` `"auto"`).
 * - `discovery`: accepts {@link SubjectEnv.issuer} and discovers the token endpoint.
 * - `scope`, `resource`: sends `scope` and RFC 8707 `resource`, configured and per call.
 * - `clock`: reads time only through {@link SubjectEnv.now}; expiry scenarios move that clock
 *   instead of sleeping. A library without a cache may declare it (it decides nothing from time).
 * - `fake_timers`: the library reads the global `Date` (no injectable clock). The harness then
 *   runs the clock scenarios one at a time with the global `Date` following the scenario's clock
 *   (see `installFakeDate`). A subject with `clock` never needs it.
 * - `fetch`: {@link SubjectInstance.fetch} attaches the token to resource requests.
 * - `origin_policy`: `instance.fetch()` honours `baseUrl`/`allowedOrigins` and refuses others.
 * - `dpop`: binds tokens to {@link SubjectEnv.dpop} (RFC 9449).
 * - `timeout`: honours {@link SubjectEnv.timeoutMs} on token requests.
 * - `invalidate`: {@link SubjectInstance.invalidate} drops the cached token.
 */
export type SubjectCapability =
  | "client_secret_post"
  | "client_secret_basic"
  | "private_key_jwt"
  | "auth_auto"
  | "discovery"
  | "scope"
  | "resource"
  | "clock"
  | "fake_timers"
  | "fetch"
  | "origin_policy"
  | "dpop"
  | "timeout"
  | "invalidate";

/**
 * What the runtime running the suite can offer: `tls` (real HTTPS servers with good and bad
 * certificates), `inspect` (the console's deep inspection, for leak checks), `real_http` (a plain
 * HTTP listener on loopback).
 */
export type HostCapability = "tls" | "inspect" | "real_http";

/**
 * Client authentication a scenario asks the subject to configure. `auto` means: pick from the
 * authorization server's metadata (capability `auth_auto`). `none` must be refused (AUTH-09).
 */
export type AuthConfig =
  | { method: "client_secret_post" | "client_secret_basic" | "auto"; clientSecret: string }
  | { method: "private_key_jwt"; privateKey: CryptoKey; publicKey: CryptoKey; kid: string; alg: string }
  | { method: "none" };

/** Everything a subject gets to build one client instance. */
export interface SubjectEnv {
  /**
   * The transport: routes to the fake servers (in-process) or to real sockets. Every request the
   * library makes (token endpoint, discovery, resource servers) must go through it; the runner
   * reports a run in which nothing reached it as unusable.
   */
  fetch: FetchLike;
  /** The clock the fake server also reads, in ms since the epoch (capability `clock`). */
  now: () => number;
  /** Static token endpoint (exclusive with `issuer`). */
  tokenEndpoint?: string;
  /** Issuer for RFC 8414 discovery (exclusive with `tokenEndpoint`; capability `discovery`). */
  issuer?: string;
  /** The registered client id. */
  clientId: string;
  /** The client authentication to configure. */
  auth: AuthConfig;
  /** Scopes to request (capability `scope`). */
  scope?: readonly string[];
  /** RFC 8707 resource indicators to request (capability `resource`). */
  resource?: readonly string[];
  /** Origin that `instance.fetch()` may send the token to; relative URLs resolve against it. */
  baseUrl?: string;
  /** More origins the token may go to (capability `origin_policy`). */
  allowedOrigins?: readonly string[];
  /** DPoP key pair (RFC 9449; capability `dpop`). */
  dpop?: CryptoKeyPair;
  /** Deadline for a token request in ms, when the scenario sets one (capability `timeout`). */
  timeoutMs?: number;
  /** Allow plain http to loopback hosts (real-socket scenarios only). */
  allowInsecureLoopback?: boolean;
  /** Sink for every log line and event the subject emits (checked for leaked secrets). */
  log: (line: string) => void;
}

/** A token as a subject reports it. */
export interface TokenResult {
  /** The access token, verbatim. */
  accessToken: string;
  /** `Bearer` or `DPoP`, as the library reports it. */
  tokenType: string;
  /** Epoch ms, when the subject knows it. */
  expiresAt?: number | undefined;
  /** The granted scope, space-separated, when the subject knows it. */
  scope?: string | undefined;
}

/** Per-call options of {@link SubjectInstance.getToken}. */
export interface GetTokenCall {
  /** Scopes for this call, replacing the configured ones. */
  scope?: readonly string[];
  /** Resource indicators for this call, replacing the configured ones. */
  resource?: readonly string[];
  /** Ask for a new token even if a cached one is still valid. */
  forceRefresh?: boolean;
}

/** One client instance under test, as built by {@link Subject.create}. */
export interface SubjectInstance {
  /** Resolves to a token; rejects with the library's own error (scenarios classify it). */
  getToken(options?: GetTokenCall): Promise<TokenResult>;
  /**
   * A resource request with the token attached (capability `fetch`). `url` may be relative to
   * {@link SubjectEnv.baseUrl}. Without the capability it is never called.
   */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Drops the cached token (only `accessToken`, when given; capability `invalidate`). */
  invalidate(accessToken?: string): Promise<void>;
  /** Stops background work; called once at the end of every scenario. */
  close(): Promise<void>;
}

/**
 * A subject's error, in the suite's neutral vocabulary:
 * - `config`: refused at construction (bad or unsafe configuration);
 * - `oauth`: an OAuth error response (the code in {@link ErrorInfo.error});
 * - `http`: a status with no OAuth error;
 * - `invalid_response`: a malformed token response;
 * - `unsupported_token_type`: a `token_type` the library will not use;
 * - `network`, `timeout`: transport failures;
 * - `insecure`: plain http refused; `origin`: a token-bearing request to a foreign origin refused;
 * - `discovery`: metadata rejected (issuer mismatch and the like);
 * - `other`: anything else.
 */
export type ErrorKind =
  | "config"
  | "oauth"
  | "http"
  | "invalid_response"
  | "unsupported_token_type"
  | "network"
  | "timeout"
  | "insecure"
  | "origin"
  | "discovery"
  | "other";

/** What {@link Subject.classify} returns for one error. */
export interface ErrorInfo {
  /** The neutral kind scenarios check. */
  kind: ErrorKind;
  /** HTTP status, when the error came from a response. */
  status?: number | undefined;
  /** OAuth `error` code, when there is one. */
  error?: string | undefined;
  /** The error's message (redacted by the harness before it is reported). */
  message: string;
  /** Subject-specific code or class name, for evidence. */
  code?: string | undefined;
}

/**
 * A client library under test: the adapter contract. A module whose default export (or export
 * named `subject`) is a `Subject` can be graded with `--subject ./path/to/module.ts`.
 *
 * @example A minimal adapter
 * ```ts
 * import type { Subject } from "@tokenkeeper/conformance";
 *
 * export default {
 *   name: "my-lib",
 *   capabilities: ["client_secret_post", "fake_timers"],
 *   create(env) {
 *     const client = new MyClient({ tokenUrl: env.tokenEndpoint, clientId: env.clientId, fetch: env.fetch });
 *     return {
 *       getToken: async () => ({ accessToken: (await client.token()).value, tokenType: "Bearer" }),
 *       fetch: () => Promise.reject(new Error("not supported")),
 *       invalidate: async () => {},
 *       close: async () => {},
 *     };
 *   },
 *   classify: (err) => ({ kind: "other", message: String(err) }),
 * } satisfies Subject;
 * ```
 */
export interface Subject {
  /** Name in reports and report file names. */
  name: string;
  /**
   * The graded library's version, shown in reports. When absent, the Node runner reads the
   * installed version of {@link Subject.packageName}.
   */
  version?: string;
  /**
   * The npm package the adapter drives, for the Node runner's version lookup.
   * @default the subject's `name`
   */
  packageName?: string;
  /** What the adapter can drive; see {@link SubjectCapability}. Declare it honestly. */
  capabilities: readonly SubjectCapability[];
  /** Builds one instance; throws (or rejects) for configuration the library refuses. */
  create(env: SubjectEnv): SubjectInstance | Promise<SubjectInstance>;
  /** Maps anything the library throws to the neutral vocabulary. */
  classify(error: unknown): ErrorInfo;
}

/** What the runtime offers beyond Web APIs (filled by the per-runtime entry). */
export interface Host {
  /** Runtime name and version, for reports (`node v20.20.2`). */
  name: string;
  /** What it offers; scenarios needing more report `n/a`. */
  capabilities: readonly HostCapability[];
  /** Deep inspection of a value as the runtime's console would print it (util.inspect). */
  inspect?: (value: unknown) => string;
  /** Runs a TLS scenario body against real HTTPS servers (see node/tls.ts). */
  tls?: TlsHost;
  /** Serves a handler over plain HTTP on a loopback port (the `real_http` capability). */
  http?: HttpHost;
}

/** A real HTTP listener on loopback, for faults that only real sockets show (FAULT-04). */
export interface HttpHost {
  /**
   * Serves `handler` on `http://localhost:<port>`. A response body that errors mid-way breaks the
   * connection (the client sees a reset, not a clean end).
   */
  serve(handler: (request: Request) => Promise<Response>): Promise<{ url: string; close(): Promise<void> }>;
}

/** Real HTTPS token servers with good and bad certificates. */
export interface TlsHost {
  /** Serves `handler` over HTTPS with each certificate kind; `close()` stops them all. */
  serve(handler: (request: Request) => Promise<Response>): Promise<{
    urls: Record<"trusted" | "selfSigned" | "expired" | "wrongHost", string>;
    /** A fetch that trusts the suite's test CA (for the positive control). */
    trustingFetch: FetchLike;
    close(): Promise<void>;
  }>;
}

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
  /** Declared severity; a scenario may grade some checks lower (e.g. "MUST/ROBUST"). */
  severity: Severity;
  /** Shown as the severity column when checks mix levels. */
  severityLabel?: string;
  /** The normative source. */
  source: string;
  requires?: Requirements;
  run(ctx: import("./harness.ts").ScenarioContext): Promise<void>;
}

/** A scenario's grade: `warn` means only SHOULD or ROBUST checks failed. */
export type ResultStatus = "pass" | "fail" | "warn" | "n/a";

/** What a fault scenario (FAULT-xx) counts: the cost of a fault to the application and the AS. */
export interface FaultMetrics {
  /** API calls the scenario made through the subject's `fetch()`. */
  apiCalls: number;
  /** API calls that rejected or answered anything but 200. */
  failedCalls: number;
  /** Token requests that reached the token endpoint. */
  tokenRequests: number;
}

/** One check a scenario made. */
export interface CheckRecord {
  ok: boolean;
  severity: Severity;
  message: string;
}

/** One scenario's outcome, redacted. */
export interface ScenarioResult {
  id: string;
  title: string;
  /** The severity label (`MUST`, `MUST/ROBUST`, …). */
  severity: string;
  source: string;
  status: ResultStatus;
  /** One line for the table. */
  evidence: string;
  checks: CheckRecord[];
  notes: string[];
  /** Counts of a fault scenario, also shown at the head of its evidence line. */
  metrics?: FaultMetrics;
  /** Requests the subject sent through the fetch the harness handed over (`env.fetch`). */
  fetchCalls: number;
  /** Present (true) when the scenario ran with the global `Date` following its clock. */
  fakeTimers?: true;
  /** Real time the scenario took. */
  durationMs: number;
}
