// The JSON-lines subject protocol's messages (PROTOCOL.md is the reference for program authors),
// and the conversions between them and the suite's in-process shapes. Runtime-neutral.
import { exportJwk } from "../fake/keys.ts";
import type { ErrorInfo, ErrorKind, GetTokenCall, SubjectCapability, SubjectEnv, TokenResult } from "../types.ts";

/** The protocol version this suite speaks (`hello` answers it back). */
export const PROTOCOL_VERSION = 1;

/** The operations the suite sends, each with an `id` that the program's answer repeats. */
export type Operation = "hello" | "fork" | "create" | "getToken" | "fetch" | "invalidate" | "close";

/** What `hello` answers. */
export interface HelloResult {
  /** {@link PROTOCOL_VERSION}. */
  protocol: number;
  /** The subject's name in reports (`golang.org/x/oauth2`). */
  name: string;
  /** The graded library's version. */
  version?: string;
  /** The language the library is written in (`Go`), shown in the matrix. */
  language?: string;
  /**
   * How the library sees the scenario clock, in a few words for reports (`time.time() replaced`);
   * a program without `clock` may say why it has none.
   */
  clockSource?: string;
  /** What the program drives (the suite's {@link SubjectCapability} names). */
  capabilities: SubjectCapability[];
  /** The program forks a child per instance when asked to (`fork`, PROTOCOL.md "Forking"). */
  fork?: boolean;
}

/** Client authentication as data: keys travel as JWKs (RFC 7517). */
export type WireAuth =
  | { method: "client_secret_post" | "client_secret_basic" | "client_secret_jwt" | "auto"; clientSecret: string }
  | {
    method: "private_key_jwt";
    privateJwk: JsonWebKey;
    publicJwk: JsonWebKey;
    kid: string;
    alg: string;
    /** With `rsa_keys`: the PKCS#8 PEM, a self-signed certificate (PEM) and its thumbprints. */
    privateKeyPem?: string;
    certificatePem?: string;
    x5t?: string;
    x5tS256?: string;
  }
  | { method: "none" };

/** {@link SubjectEnv} as data: everything but the functions (fetch, now, log). */
export interface WireEnv {
  tokenEndpoint?: string;
  issuer?: string;
  clientId: string;
  auth: WireAuth;
  scope?: string[];
  resource?: string[];
  baseUrl?: string;
  allowedOrigins?: string[];
  dpop?: { privateJwk: JsonWebKey; publicJwk: JsonWebKey };
  timeoutMs?: number;
  allowInsecureLoopback?: boolean;
}

/** A resource request (`fetch`) or its answer as data; bodies are base64. */
export interface WireHttp {
  status?: number;
  url?: string;
  method?: string;
  headers: [string, string][];
  body: string | null;
}

/** The error kinds a program may answer. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "config",
  "oauth",
  "http",
  "invalid_response",
  "unsupported_token_type",
  "network",
  "timeout",
  "insecure",
  "origin",
  "discovery",
  "other",
];

/** Capabilities a program may declare in `hello`. */
export const CAPABILITIES: readonly SubjectCapability[] = [
  "client_secret_post",
  "client_secret_basic",
  "private_key_jwt",
  "auth_auto",
  "discovery",
  "scope",
  "resource",
  "clock",
  "fake_timers",
  "fetch",
  "origin_policy",
  "dpop",
  "timeout",
  "invalidate",
  "client_secret_jwt",
  "scope_required",
  "rsa_keys",
];

async function jwk(key: CryptoKey, what: string): Promise<JsonWebKey> {
  const exported = await exportJwk(key);
  if (!exported) throw new TypeError(`${what} cannot be exported: a process subject receives keys as JWKs, so the key must be extractable or made by the suite (ecKeyPair)`);
  return exported;
}

/** The env as the `create` line carries it. */
export async function toWireEnv(env: SubjectEnv): Promise<WireEnv> {
  const a = env.auth;
  const auth: WireAuth =
    a.method === "private_key_jwt"
      ? {
        method: a.method,
        privateJwk: await jwk(a.privateKey, "auth.privateKey"),
        publicJwk: await jwk(a.publicKey, "auth.publicKey"),
        kid: a.kid,
        alg: a.alg,
        ...(a.privateKeyPem !== undefined ? { privateKeyPem: a.privateKeyPem } : {}),
        ...(a.certificatePem !== undefined ? { certificatePem: a.certificatePem } : {}),
        ...(a.x5t !== undefined ? { x5t: a.x5t } : {}),
        ...(a.x5tS256 !== undefined ? { x5tS256: a.x5tS256 } : {}),
      }
      : a;
  return {
    ...(env.tokenEndpoint !== undefined ? { tokenEndpoint: env.tokenEndpoint } : {}),
    ...(env.issuer !== undefined ? { issuer: env.issuer } : {}),
    clientId: env.clientId,
    auth,
    ...(env.scope !== undefined ? { scope: [...env.scope] } : {}),
    ...(env.resource !== undefined ? { resource: [...env.resource] } : {}),
    ...(env.baseUrl !== undefined ? { baseUrl: env.baseUrl } : {}),
    ...(env.allowedOrigins !== undefined ? { allowedOrigins: [...env.allowedOrigins] } : {}),
    ...(env.dpop !== undefined ? { dpop: { privateJwk: await jwk(env.dpop.privateKey, "dpop.privateKey"), publicJwk: await jwk(env.dpop.publicKey, "dpop.publicKey") } } : {}),
    ...(env.timeoutMs !== undefined ? { timeoutMs: env.timeoutMs } : {}),
    ...(env.allowInsecureLoopback ? { allowInsecureLoopback: true } : {}),
  };
}

/** The fields of a `getToken` line. */
export function toWireCall(call: GetTokenCall = {}): Record<string, unknown> {
  return {
    ...(call.scope !== undefined ? { scope: [...call.scope] } : {}),
    ...(call.resource !== undefined ? { resource: [...call.resource] } : {}),
    ...(call.forceRefresh ? { forceRefresh: true } : {}),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const optional = (v: unknown, type: string) => v === undefined || v === null || typeof v === type;

/**
 * Reads a `getToken` result, or says what is wrong with it. `accessToken` and `tokenType` pass
 * through as the library gave them (a library that accepts a token response without a string
 * `access_token` is graded on that, not refused by the protocol).
 */
export function readToken(result: unknown): TokenResult | string {
  if (!isObject(result) || !("accessToken" in result) || !("tokenType" in result)) return "a getToken result needs accessToken and tokenType";
  if (!optional(result.expiresAt, "number") || !optional(result.scope, "string")) return "a getToken result's expiresAt is a number (epoch ms) and scope a string, when present";
  return {
    accessToken: result.accessToken as string,
    tokenType: result.tokenType as string,
    ...(typeof result.expiresAt === "number" ? { expiresAt: result.expiresAt } : {}),
    ...(typeof result.scope === "string" ? { scope: result.scope } : {}),
  };
}

/** Reads the `error` of a failed answer, or says what is wrong with it. */
export function readError(error: unknown): ErrorInfo | string {
  if (!isObject(error) || typeof error.message !== "string") return "a failed answer needs error.message (a string)";
  if (!ERROR_KINDS.includes(error.kind as ErrorKind)) return `error.kind ${JSON.stringify(error.kind)} is not one of ${ERROR_KINDS.join(", ")}`;
  if (!optional(error.status, "number") || !optional(error.error, "string") || !optional(error.code, "string")) return "error.status is a number, error.error and error.code strings, when present";
  return {
    kind: error.kind as ErrorKind,
    message: error.message,
    ...(typeof error.status === "number" ? { status: error.status } : {}),
    ...(typeof error.error === "string" ? { error: error.error } : {}),
    ...(typeof error.code === "string" ? { code: error.code } : {}),
  };
}

/** Reads a `hello` result, or says what is wrong with it. */
export function readHello(result: unknown): HelloResult | string {
  if (!isObject(result)) return "hello must answer an object";
  if (result.protocol !== PROTOCOL_VERSION) return `hello answered protocol ${JSON.stringify(result.protocol)}; this suite speaks ${PROTOCOL_VERSION}`;
  if (typeof result.name !== "string" || !result.name) return "hello must answer a name";
  if (!optional(result.version, "string") || !optional(result.language, "string") || !optional(result.clockSource, "string")) return "hello's version, language and clockSource are strings, when present";
  if (!optional(result.fork, "boolean")) return "hello's fork is a boolean, when present";
  const caps = result.capabilities;
  if (!Array.isArray(caps)) return "hello must answer capabilities (an array)";
  const unknown = caps.filter((c) => !CAPABILITIES.includes(c as SubjectCapability));
  if (unknown.length) return `unknown capabilities ${JSON.stringify(unknown)}; known: ${CAPABILITIES.join(", ")}`;
  // fake_timers fakes the suite's own Date; a program's library follows the pushed clock instead.
  if (caps.includes("fake_timers")) return "a program declares clock (it follows the clock lines), never fake_timers";
  return {
    protocol: PROTOCOL_VERSION,
    name: result.name,
    ...(typeof result.version === "string" ? { version: result.version } : {}),
    ...(typeof result.language === "string" ? { language: result.language } : {}),
    ...(typeof result.clockSource === "string" ? { clockSource: result.clockSource } : {}),
    capabilities: caps as SubjectCapability[],
    ...(result.fork === true ? { fork: true } : {}),
  };
}

/** Reads a `fetch` answer, or says what is wrong with it. */
export function readResponse(result: unknown): WireHttp | string {
  if (!isObject(result) || typeof result.status !== "number" || !Number.isInteger(result.status)) return "a fetch result needs status (an integer)";
  const headers = result.headers;
  if (!Array.isArray(headers) || !headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === "string" && typeof h[1] === "string")) {
    return "a fetch result's headers are [name, value] pairs of strings";
  }
  if (!optional(result.body, "string")) return "a fetch result's body is a base64 string or null";
  return { status: result.status, headers: headers as [string, string][], body: (result.body as string | null | undefined) ?? null };
}
