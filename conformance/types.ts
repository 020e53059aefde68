// The contracts of the conformance suite: subjects (client libraries under test), scenarios, and
// the host (the runtime running the suite). Runtime-neutral: Web APIs only. Everything an adapter
// needs is exported from the package entry (mod.ts); see ADAPTERS.md.

/**
 * The tier of a check, reported apart everywhere:
 * - `MUST`: an **RFC MUST**, a sentence with MUST, REQUIRED or SHALL that binds the client, quoted
 *   in the scenario's {@link Basis}. A failure makes the subject non-conformant.
 * - `SHOULD`: a SHOULD (or RECOMMENDED) sentence that binds the client, quoted likewise. A miss is
 *   reported, not failed.
 * - `ROBUST`: what a good token manager does beyond the RFCs (caching, single flight, retries,
 *   errors that do not leak); scored. Its basis says why no RFC sentence binds the client.
 */
export type Severity = "MUST" | "SHOULD" | "ROBUST";

/** Why a scenario's checks weigh what they weigh: one normative sentence, or a reason. */
export interface Basis {
  /** The tier this basis grounds. */
  tier: Severity;
  /** Where it is: `RFC 6749 §3.2`. */
  source: string;
  /**
   * For `MUST` and `SHOULD`: the sentence that binds the client, quoted exactly. For `ROBUST`: why
   * the check is not an RFC requirement on the client (and what it rests on instead).
   */
  text: string;
}

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
 * - `client_secret_jwt`: configures {@link SubjectEnv.auth} `client_secret_jwt` (RFC 7523, HS256).
 * - `scope_required`: the library refuses to request a token without a scope; scenarios that
 *   configure none then hand it {@link DEFAULT_REQUIRED_SCOPE} (it still must not send an empty one).
 * - `rsa_keys`: the library signs client assertions with RSA keys only: `private_key_jwt`
 *   scenarios hand it an RSA key pair (PS256) with its PEM forms and a self-signed certificate
 *   (see {@link AssertionKey}) instead of an ES256 key.
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
  | "invalidate"
  | "client_secret_jwt"
  | "scope_required"
  | "rsa_keys";

/** The scope a `scope_required` subject gets where a scenario configures none. */
export const DEFAULT_REQUIRED_SCOPE: readonly string[] = ["api.read"];

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
  | { method: "client_secret_post" | "client_secret_basic" | "client_secret_jwt" | "auto"; clientSecret: string }
  | ({ method: "private_key_jwt" } & AssertionKey)
  | { method: "none" };

/**
 * The key a `private_key_jwt` client signs with: a WebCrypto pair always; for RSA (subjects with
 * `rsa_keys`, PS256) also its PKCS#8 PEM, a self-signed X.509 certificate and its thumbprints, for
 * libraries that take a certificate (MSAL's `clientCertificate`).
 */
export interface AssertionKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  /** `ES256`, or `PS256` for the RSA key. */
  alg: string;
  /** PKCS#8 PEM of the private key (RSA only). */
  privateKeyPem?: string;
  /** The self-signed certificate, PEM (RSA only). */
  certificatePem?: string;
  /** base64url SHA-1 thumbprint of the certificate's DER (`x5t`; RSA only). */
  x5t?: string;
  /** base64url SHA-256 thumbprint of the certificate's DER (`x5t#S256`; RSA only). */
  x5tS256?: string;
}

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
   * The language the library is written in, shown in the matrix.
   * @default "JavaScript"
   */
  language?: string;
  /**
   * The graded library's version, shown in reports. When absent, the Node runner reads the
   * installed version of {@link Subject.packageName}.
   */
  version?: string;
  /**
   * How the library sees the scenario clock, in a few words for reports, when the capabilities do
   * not say it (`"time.time() replaced"`: a program in another language whose process clock
   * follows the scenario's). Without it, reports say `injected clock` for `clock` and `fake timers`
   * for `fake_timers`.
   */
  clockSource?: string;
  /**
   * The npm package the adapter drives, for the Node runner's version lookup.
   * @default the subject's `name`
   */
  packageName?: string;
  /** What the adapter can drive; see {@link SubjectCapability}. Declare it honestly. */
  capabilities: readonly SubjectCapability[];
  /** Builds one instance; throws (or rejects) for configuration the library refuses. */
  create(env: SubjectEnv): SubjectInstance | Promise<SubjectInstance>;
  /** Maps anything the library throws to the neutral vocabulary (may be async: read a body). */
  classify(error: unknown): ErrorInfo | Promise<ErrorInfo>;
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

/**
 * A scenario's grade: `fail` an RFC MUST check failed; `warn` only SHOULD or ROBUST checks failed;
 * `unusable` the positive control failed (the subject never got a token in the scenario's set-up,
 * so its failure cases prove nothing); `n/a` a capability is missing.
 */
export type ResultStatus = "pass" | "fail" | "warn" | "unusable" | "n/a";

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
  /** The tier label (`MUST`, `MUST/ROBUST`, …). */
  severity: string;
  source: string;
  /** The scenario's basis: quoted sentences and reasons, one per tier. */
  basis: Basis[];
  status: ResultStatus;
  /** The tiers with a failed check (empty when it passed, is n/a or unusable). */
  missed: Severity[];
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
