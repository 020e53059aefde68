// The contracts of the conformance suite: subjects (client libraries under test), scenarios, and
// the host (the runtime running the suite). Runtime-neutral: Web APIs only.

/** How much a failed check weighs: MUST fails the subject, SHOULD warns, ROBUST is scored. */
export type Severity = "MUST" | "SHOULD" | "ROBUST";

/** The `fetch` signature the suite hands to subjects. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * What a subject can be driven to do. A scenario that needs a capability the subject lacks is
 * reported as "n/a" instead of failing.
 */
export type SubjectCapability =
  | "client_secret_post"
  | "client_secret_basic"
  | "private_key_jwt"
  | "auth_auto" // picks the client authentication from RFC 8414 metadata
  | "discovery" // accepts `issuer` and discovers the token endpoint
  | "scope"
  | "resource"
  | "clock" // reads time only from env.now (expiry scenarios advance it)
  | "fetch" // instance.fetch() attaches the token to resource requests
  | "origin_policy" // instance.fetch() takes baseUrl/allowedOrigins and refuses other origins
  | "dpop"
  | "timeout" // honours env.timeoutMs on token requests
  | "invalidate";

/** What the runtime running the suite can offer. */
export type HostCapability = "tls" | "inspect" | "real_http";

/** Client authentication a scenario asks the subject to configure. */
export type AuthConfig =
  | { method: "client_secret_post" | "client_secret_basic" | "auto"; clientSecret: string }
  | { method: "private_key_jwt"; privateKey: CryptoKey; publicKey: CryptoKey; kid: string; alg: string }
  | { method: "none" };

/** Everything a subject gets to build one client instance. */
export interface SubjectEnv {
  /** The transport: routes to the fake servers (in-process) or to real sockets. */
  fetch: FetchLike;
  /** The clock the fake server also reads, in ms since the epoch. */
  now: () => number;
  /** Static token endpoint (exclusive with `issuer`). */
  tokenEndpoint?: string;
  /** Issuer for RFC 8414 discovery (exclusive with `tokenEndpoint`). */
  issuer?: string;
  clientId: string;
  auth: AuthConfig;
  scope?: readonly string[];
  resource?: readonly string[];
  /** Origin that instance.fetch() may send the token to. */
  baseUrl?: string;
  allowedOrigins?: readonly string[];
  /** DPoP key pair (RFC 9449). */
  dpop?: CryptoKeyPair;
  /** Deadline for a token request, when the scenario sets one. */
  timeoutMs?: number;
  /** Allow plain http to loopback hosts (real-socket scenarios only). */
  allowInsecureLoopback?: boolean;
  /** Sink for every log line and event the subject emits (checked for leaked secrets). */
  log: (line: string) => void;
}

/** A token as a subject reports it. */
export interface TokenResult {
  accessToken: string;
  tokenType: string;
  /** Epoch ms, when the subject knows it. */
  expiresAt?: number | undefined;
  scope?: string | undefined;
}

/** Per-call options of getToken(). */
export interface GetTokenCall {
  scope?: readonly string[];
  resource?: readonly string[];
  forceRefresh?: boolean;
}

/** One client instance under test. */
export interface SubjectInstance {
  getToken(options?: GetTokenCall): Promise<TokenResult>;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  invalidate(accessToken?: string): Promise<void>;
  close(): Promise<void>;
}

/** A subject's error, in the suite's neutral vocabulary. */
export type ErrorKind =
  | "config" // refused at construction
  | "oauth" // an OAuth error response (error code in `error`)
  | "http" // a status with no OAuth error
  | "invalid_response"
  | "unsupported_token_type"
  | "network"
  | "timeout"
  | "insecure"
  | "origin"
  | "discovery"
  | "other";

export interface ErrorInfo {
  kind: ErrorKind;
  status?: number | undefined;
  /** OAuth `error` code, when there is one. */
  error?: string | undefined;
  message: string;
  /** Subject-specific code or class name, for evidence. */
  code?: string | undefined;
}

/** A client library under test. See ADAPTERS.md. */
export interface Subject {
  name: string;
  capabilities: readonly SubjectCapability[];
  /** Builds one instance; throws (or rejects) for configuration the library refuses. */
  create(env: SubjectEnv): SubjectInstance | Promise<SubjectInstance>;
  /** Maps anything the library throws to the neutral vocabulary. */
  classify(error: unknown): ErrorInfo;
}

/** What the runtime offers beyond Web APIs (filled by the per-runtime entry). */
export interface Host {
  name: string;
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
  subject?: readonly SubjectCapability[];
  host?: readonly HostCapability[];
}

/** A scenario: one catalogue id, one file. */
export interface Scenario {
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

export interface CheckRecord {
  ok: boolean;
  severity: Severity;
  message: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  severity: string;
  source: string;
  status: ResultStatus;
  /** One line for the table. */
  evidence: string;
  checks: CheckRecord[];
  notes: string[];
  /** Counts of a fault scenario, also shown at the head of its evidence line. */
  metrics?: FaultMetrics;
  durationMs: number;
}
