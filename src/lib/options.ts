import { type Clock, clock, type RetryOptions, type TokenKeeperOptions } from "./api.ts";
import { clientSecretPost, type ClientAuth, isClientAuthentication } from "./auth.ts";
import { debugListener } from "./debug.ts";
import { createEmitter, type Emit } from "./events.ts";
import type { RetryPolicy } from "./retry.ts";
import type { LifetimePolicy } from "./token.ts";
import {
  discoveryFeature,
  dpopFeature,
  type DPoPSupport,
  type FetchLike,
  grantFeature,
  type GrantSupport,
  type DiscoveryConnector,
  type ServerResolver,
  storeFeature,
  type StoreConnector,
  type TokenGrant,
} from "./types.ts";
import { type HttpPolicy, isSecureTarget } from "./urls.ts";

/** A token endpoint to discover from its issuer's metadata. */
export interface DiscoveredEndpoint {
  readonly issuer: URL;
  /** The metadata, discovered once for the keeper (a failed discovery is tried again next time). */
  readonly resolve: ServerResolver;
}

/** The timing and retry options, resolved: one shared object for every keeper that sets none. */
export interface Policy extends LifetimePolicy {
  readonly timeoutMs: number;
  readonly maxCacheEntries: number;
  readonly retry: RetryPolicy;
}

/** Every option validated and defaulted: what a keeper runs on. */
export interface Config {
  /** The token endpoint URL (`href`), or the issuer to discover it from. */
  readonly tokenEndpoint: string | DiscoveredEndpoint;
  readonly clientId: string;
  readonly auth: ClientAuth;
  /** The grant, when not client credentials. */
  readonly grant: TokenGrant | undefined;
  readonly scope: readonly string[];
  readonly resource: readonly string[];
  /** Sorted by name, so that equal parameters make equal cache keys. */
  readonly tokenParameters: readonly (readonly [string, string])[];
  /** `baseUrl` (`href`), when given. */
  readonly baseUrl: string | undefined;
  /** `allowedOrigins`: the origins `keeper.fetch()` may send the token to besides `baseUrl`'s. */
  readonly allowedOrigins: readonly string[];
  readonly policy: Policy;
  readonly store: StoreConnector | undefined;
  readonly emit: Emit;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly dpop: DPoPSupport | undefined;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly http: HttpPolicy;
}

/** A numeric option: its default, its minimum, and whether it is a count (an integer) rather than milliseconds. */
type NumberRule = readonly [fallback: number, min: number, integer?: true];

/** The numeric options: default, minimum, and whether each is a count rather than milliseconds. */
const numberRules = {
  timeoutMs: [10_000, 1],
  refreshWindowMs: [300_000, 0],
  expiryMarginMs: [30_000, 0],
  defaultLifetimeMs: [300_000, 1],
  maxLifetimeMs: [86_400_000, 1],
  maxCacheEntries: [1_000, 1, true],
} as const satisfies Partial<Record<keyof TokenKeeperOptions, NumberRule>>;

/** Every option name, for the did-you-mean: a key forgotten here, or one that is no option, does not compile. */
const optionNames = {
  tokenEndpoint: true, clientId: true, clientSecret: true, clientAuth: true, grant: true, scope: true, resource: true, tokenParameters: true,
  baseUrl: true, allowedOrigins: true, timeoutMs: true, refreshWindowMs: true, expiryMarginMs: true, defaultLifetimeMs: true,
  maxLifetimeMs: true, maxCacheEntries: true, retry: true, store: true, onEvent: true, name: true, waitUntil: true, dpop: true,
  fetch: true, dangerouslyAllowBrowser: true, dangerouslyAllowHttp: true, [clock]: true,
} as const satisfies Record<keyof TokenKeeperOptions, true>;
const retryRules = {
  maxAttempts: [3, 1, true],
  baseDelayMs: [250, 0],
  maxDelayMs: [10_000, 0],
  cooldownAfterFailures: [3, 1, true],
  cooldownMs: [1_000, 0],
  totalTimeoutMs: [30_000, 1],
} as const satisfies Record<keyof RetryOptions, NumberRule>;

/** Names people reach for that are not near a right one (keys lowercased). */
const hints: Record<string, string> = {
  tokenurl: "tokenEndpoint",
  issuer: 'tokenEndpoint: discover("https://issuer")',
  audience: "tokenParameters: { audience }",
  storeencryptionkey: "store: sharedStore(store, { encryptionKey })",
  attempts: "maxAttempts",
};

/** Parameters the token request owns; `tokenParameters` may never set them. */
const reservedParameters = ["grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "scope", "resource"];

/** What a keeper that sets no timing or retry option runs on, shared. */
let defaultPolicy: Policy | undefined;
/** An empty scope or resource set, shared. */
const none: readonly string[] = Object.freeze([]);
/** No `dangerouslyAllowHttp` host, shared. */
const httpsOnly: HttpPolicy = { hosts: new Set() };
/** The global `fetch`, looked up at each call (so a test or a polyfill may replace it later). */
const globalFetch: FetchLike = (input, init) => fetch(input, init);

/** A short, safe description of an option value for an error message. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : String(value);
}

/** The one shape of a validation error: `option: must be …, got …`. */
function invalid(option: string, expected: string, value: unknown, kind: typeof TypeError = TypeError): Error {
  return new kind(`${option}: must be ${expected}, got ${describe(value)}`);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** Refuses names that are not options, suggesting the one meant. */
function refuseUnknown(value: object, known: object, where: string): void {
  for (const name of Object.keys(value)) {
    if (Object.hasOwn(known, name)) continue;
    const lower = name.toLowerCase();
    let guess = hints[lower];
    for (let best = 3; guess === undefined && best > 0; best--) guess = Object.keys(known).find((k) => editDistance(lower, k.toLowerCase()) < best);
    throw new TypeError(`${where}: unknown option ${describe(name)}${guess ? ` (did you mean ${guess}?)` : ""}`);
  }
}

/** Every numeric option of `rules`, validated (a `RangeError` names it) and defaulted. */
function numbers(value: Record<string, unknown>, rules: Record<string, NumberRule>, prefix = ""): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, [fallback, min, integer]] of Object.entries(rules)) {
    const given = value[name] ?? fallback;
    if (typeof given !== "number" || !(integer ? Number.isInteger(given) : Number.isFinite(given)) || given < min) {
      throw invalid(prefix + name, integer ? `an integer >= ${min}` : `a finite number of milliseconds >= ${min}`, given, RangeError);
    }
    out[name] = given;
  }
  return out;
}

/** The timing and retry options, validated; the shared default when none is set. */
function resolvePolicy(options: Record<string, unknown>): Policy {
  const retry = options["retry"];
  if (retry !== false && retry !== undefined && (typeof retry !== "object" || retry === null)) throw invalid("retry", "an object or false", retry);
  if (retry) refuseUnknown(retry, retryRules, "retry");
  const timing = numbers(options, numberRules) as Record<keyof Policy, number>;
  const policy: Policy = { ...timing, defaultLifetimeMs: Math.min(timing.defaultLifetimeMs, timing.maxLifetimeMs), retry: numbers((retry || {}) as Record<string, unknown>, retryRules, "retry.") as unknown as RetryPolicy };
  if (retry === false) (policy.retry as { maxAttempts: number }).maxAttempts = 1;
  // Keepers that set no timing or retry option share one policy: equal to the first such one.
  const custom = retry !== undefined || Object.keys(timing).some((name) => options[name] !== undefined);
  return custom ? policy : (defaultPolicy ??= policy);
}

/**
 * Parses a URL option that must be absolute, without credentials or fragment, and https (or http
 * on loopback, or as `policy` allows).
 * @throws {TypeError} Naming the option.
 */
function parseUrl(value: unknown, option: string, policy: HttpPolicy): URL {
  if ((typeof value !== "string" && !(value instanceof URL)) || !URL.canParse(value)) throw invalid(option, "an absolute URL", value);
  const url = new URL(value);
  if (url.username !== "" || url.password !== "") throw new TypeError(`${option}: must not carry credentials in the URL`);
  if (url.hash !== "") throw invalid(option, "a URL without fragment", url.href);
  if (!isSecureTarget(url, policy)) {
    const hint = url.protocol !== "http:" ? "" : ` (dangerouslyAllowHttp: ["${url.host}"] allows it for a development server)`;
    throw new TypeError(`${option}: must use https, got "${url.href}"${hint}`);
  }
  return url;
}

/**
 * Normalises a scope (string or list) to unique scope tokens (RFC 6749 §3.3: 1*NQCHAR), in given order.
 * @throws {TypeError} On a value that is not a valid scope.
 */
export function parseScope(value: unknown, option: string): readonly string[] {
  if (value === undefined) return none;
  const parts = typeof value === "string" ? value.split(" ").filter((part) => part !== "") : Array.isArray(value) ? value : undefined;
  if (parts === undefined) throw invalid(option, "a string or a list of strings", value);
  for (const part of parts) if (typeof part !== "string" || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(part)) throw invalid(option, "scope tokens (RFC 6749 §3.3)", part);
  return parts.length === 0 ? none : [...new Set(parts as string[])];
}

/**
 * Normalises resource indicators (RFC 8707 §2): absolute URIs without fragment.
 * @throws {TypeError} On a relative URI or one with a fragment.
 */
export function parseResource(value: unknown, option: string): readonly string[] {
  if (value === undefined) return none;
  const out: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const text = item instanceof URL ? item.href : item;
    if (typeof text !== "string" || !URL.canParse(text) || text.includes("#")) throw invalid(option, "absolute URIs without fragment (RFC 8707 §2)", item);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

function resolveAuth({ clientSecret, clientAuth }: TokenKeeperOptions): ClientAuth {
  if (clientSecret !== undefined && clientAuth !== undefined) throw new TypeError("clientSecret and clientAuth: give one client authentication, not both");
  if (clientAuth !== undefined) {
    if (!isClientAuthentication(clientAuth)) throw invalid("clientAuth", "clientSecretBasic(), clientSecretPost(), privateKeyJwt(), clientSecretJwt() or customClientAuth()", clientAuth);
    return clientAuth;
  }
  if (clientSecret === undefined) throw new TypeError("clientSecret or clientAuth: the client credentials grant needs client authentication (RFC 6749 §4.4.2)");
  if (typeof clientSecret !== "string" || clientSecret === "") throw new TypeError("clientSecret: must be a non-empty string");
  return clientSecretPost(clientSecret) as ClientAuth;
}

function resolveTokenParameters(value: unknown): readonly (readonly [string, string])[] {
  if (value === undefined) return none as [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("tokenParameters", "an object of strings", value);
  return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, parameter]) => {
    if (reservedParameters.includes(name.toLowerCase())) throw new TypeError(`tokenParameters: "${name}" is set by tokenkeeper and cannot be overridden`);
    if (typeof parameter !== "string") throw invalid(`tokenParameters.${name}`, "a string", parameter);
    return [name, parameter] as const;
  });
}

function resolveHttpPolicy(hosts: unknown): HttpPolicy {
  if (hosts === undefined) return httpsOnly;
  if (!Array.isArray(hosts) || hosts.some((host) => typeof host !== "string" || !/^[^\s/:@]+(?::\d+)?$/.test(host))) {
    throw invalid("dangerouslyAllowHttp", 'a list of "host" or "host:port" names', hosts);
  }
  return { hosts: new Set(hosts.map((host: string) => host.toLowerCase())) };
}

/** What `value` brings under a feature's `brand`, or `undefined` when the feature did not make it. */
function featureOf<T>(value: unknown, brand: symbol): T | undefined {
  return typeof value === "object" && value !== null ? (value as Record<symbol, T | undefined>)[brand] : undefined;
}

/**
 * The feature behind an option: what its value brings under `brand`, `undefined` when not given.
 * @throws {TypeError} When a value is given that the feature did not make, naming what it must be.
 */
function feature<T>(value: unknown, brand: symbol, option: string, expected: string): T | undefined {
  const found = featureOf<T>(value, brand);
  if (value !== undefined && found === undefined) throw invalid(option, expected, value);
  return found;
}

/** The URL's `href`: the caller's own string when it is that already, so no copy is kept per keeper. */
function hrefOf(given: unknown, url: URL): string {
  return typeof given === "string" && given === url.href ? given : url.href;
}

function optionalFunction<T>(value: T, option: string): T {
  if (value !== undefined && typeof value !== "function") throw invalid(option, "a function", value);
  return value;
}

/**
 * Validates and defaults every option, loudly, in one place. Never mutates `options`.
 *
 * @throws {TypeError} On a missing, unknown or malformed option, naming it.
 * @throws {RangeError} On a number out of range, naming it.
 */
export function resolveOptions(options: TokenKeeperOptions): Config {
  if (typeof options !== "object" || options === null) throw invalid("createTokenKeeper", "an options object", options);
  const { window, document } = globalThis as { window?: unknown; document?: unknown };
  // A browser page, where a client secret would ship to every user.
  if (typeof window === "object" && window && typeof document === "object" && document && options.dangerouslyAllowBrowser !== true) {
    throw new TypeError("createTokenKeeper: refusing to run in a browser, where the client secret would ship to users (set dangerouslyAllowBrowser to override)");
  }
  refuseUnknown(options, optionNames, "createTokenKeeper");
  const http = resolveHttpPolicy(options.dangerouslyAllowHttp);
  const fetch = optionalFunction(options.fetch, "fetch") ?? globalFetch;
  const endpoint = options.tokenEndpoint;
  const connect = featureOf<DiscoveryConnector>(endpoint, discoveryFeature);
  const tokenEndpoint = connect
    ? { issuer: parseUrl((endpoint as { issuer: URL }).issuer, "tokenEndpoint: discover()", http), resolve: connect(fetch, http) }
    : hrefOf(endpoint, parseUrl(endpoint, "tokenEndpoint", http));
  if (typeof options.clientId !== "string" || options.clientId === "") throw invalid("clientId", "a non-empty string", options.clientId);
  const baseUrl = options.baseUrl === undefined ? undefined : parseUrl(options.baseUrl, "baseUrl", http);
  // Its path is a prefix for relative inputs; a query is refused: an input's own would replace it.
  if (baseUrl?.search) throw invalid("baseUrl", "a URL without query", baseUrl.href);
  const origins = options.allowedOrigins ?? none;
  if (!Array.isArray(origins)) throw invalid("allowedOrigins", "a list of origins", origins);
  const allowedOrigins = origins.map((origin: unknown, i) => parseUrl(origin, `allowedOrigins[${i}]`, http).origin);
  const clockOption = options[clock];
  if (clockOption !== undefined && typeof clockOption?.now !== "function") throw invalid("[clock]", "an object with a now() method", clockOption);
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) throw invalid("name", "a non-empty string", options.name);
  const grant = feature<GrantSupport>(options.grant, grantFeature, "grant", "jwtBearer()");
  return {
    tokenEndpoint,
    clientId: options.clientId,
    auth: (grant?.auth(options) as ClientAuth | undefined) ?? resolveAuth(options),
    grant: grant?.grant,
    scope: parseScope(options.scope, "scope"),
    resource: parseResource(options.resource, "resource"),
    tokenParameters: resolveTokenParameters(options.tokenParameters),
    baseUrl: baseUrl && hrefOf(options.baseUrl, baseUrl),
    allowedOrigins: allowedOrigins.length === 0 ? none : allowedOrigins,
    policy: resolvePolicy(options as unknown as Record<string, unknown>),
    store: feature(options.store, storeFeature, "store", "a store adapter (tokenkeeper/stores/*) or sharedStore(yourStore)"),
    emit: createEmitter(optionalFunction(options.onEvent, "onEvent"), options.name, debugListener()),
    waitUntil: optionalFunction(options.waitUntil, "waitUntil"),
    dpop: feature(options.dpop, dpopFeature, "dpop", "a value made by dpop(keyPair)"),
    fetch,
    clock: clockOption ?? Date,
    http,
  };
}
