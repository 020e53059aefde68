import { type ClientAuthentication, clientSecretPost, isClientAuthentication } from "./client-auth.ts";
import type { TokenKeeperEvent } from "./events.ts";
import type { LifetimePolicy } from "./lifetime.ts";
import type { TokenStore } from "./store.ts";
import { allowInsecureRequests, type Clock, clock, customFetch } from "./symbols.ts";
import type { FetchLike, TokenKeeperOptions } from "./types.ts";
import { describe, parseEndpointUrl } from "./urls.ts";

/** Resolved retry policy. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly cooldownAfterFailures: number;
  readonly cooldownMs: number;
  readonly totalTimeoutMs: number;
}

/** Every option validated and defaulted: what the keeper runs on. */
export interface Config extends LifetimePolicy {
  readonly tokenEndpoint: URL | undefined;
  readonly issuer: URL | undefined;
  readonly clientId: string;
  readonly auth: ClientAuthentication;
  readonly scope: readonly string[];
  readonly resource: readonly string[];
  readonly tokenParameters: readonly (readonly [string, string])[];
  readonly baseUrl: URL | undefined;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly timeoutMs: number;
  readonly maxCacheEntries: number;
  readonly retry: RetryPolicy;
  readonly store: TokenStore | undefined;
  readonly storeEncryptionKey: CryptoKey | undefined;
  readonly onEvent: ((event: TokenKeeperEvent) => void) | undefined;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly dpop: CryptoKeyPair | undefined;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly allowInsecure: boolean;
}

/** Parameters the token request owns; `tokenParameters` may never set them. */
const reservedParameters = new Set([
  "grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "scope", "resource",
]);

const defaults = {
  timeoutMs: 10_000,
  maxCacheEntries: 1_000,
  refreshWindowMs: 300_000,
  expiryMarginMs: 30_000,
  defaultLifetimeMs: 300_000,
  maxLifetimeMs: 86_400_000,
  retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 10_000, cooldownAfterFailures: 3, cooldownMs: 1_000, totalTimeoutMs: 30_000 },
} as const;

function duration(value: unknown, option: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${option}: must be a finite number of milliseconds >= ${min}, got ${describe(value)}`);
  }
  return value;
}

function count(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${option}: must be an integer >= 1, got ${describe(value)}`);
  }
  return value;
}

/** RFC 6749 §3.3: scope-token = 1*NQCHAR. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Normalises a scope option (string or list) to a list of unique scope tokens, in given order.
 * @throws {TypeError} On a value that is not a valid scope.
 */
export function parseScope(value: unknown, option: string): readonly string[] {
  if (value === undefined) return [];
  const parts = typeof value === "string"
    ? value.split(" ").filter((part) => part !== "")
    : Array.isArray(value)
    ? value
    : undefined;
  if (parts === undefined) throw new TypeError(`${option}: must be a string or a list of strings, got ${describe(value)}`);
  for (const part of parts) {
    if (typeof part !== "string" || !scopeToken.test(part)) {
      throw new TypeError(`${option}: ${describe(part)} is not a scope token (RFC 6749 §3.3)`);
    }
  }
  return [...new Set(parts as string[])];
}

/**
 * Normalises resource indicators (RFC 8707 §2): absolute URIs without fragment.
 * @throws {TypeError} On a relative URI or one with a fragment.
 */
export function parseResource(value: unknown, option: string): readonly string[] {
  if (value === undefined) return [];
  const list: unknown[] = typeof value === "string" || value instanceof URL ? [value] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of list) {
    const text = item instanceof URL ? item.href : item;
    if (typeof text !== "string" || !URL.canParse(text)) {
      throw new TypeError(`${option}: ${describe(item)} is not an absolute URI (RFC 8707 §2)`);
    }
    if (text.includes("#")) throw new TypeError(`${option}: ${describe(text)} must not have a fragment (RFC 8707 §2)`);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

function resolveAuth(options: TokenKeeperOptions): ClientAuthentication {
  const { clientSecret, clientAuth } = options;
  if (clientSecret !== undefined && clientAuth !== undefined) {
    throw new TypeError("clientSecret and clientAuth: give one client authentication, not both");
  }
  if (clientAuth !== undefined) {
    if (!isClientAuthentication(clientAuth)) {
      throw new TypeError("clientAuth: must come from clientSecretBasic(), clientSecretPost(), privateKeyJwt(), clientSecretJwt() or customClientAuth()");
    }
    return clientAuth;
  }
  if (clientSecret === undefined) {
    throw new TypeError("clientSecret or clientAuth: the client credentials grant needs client authentication (RFC 6749 §4.4.2)");
  }
  if (typeof clientSecret !== "string" || clientSecret === "") throw new TypeError("clientSecret: must be a non-empty string");
  return clientSecretPost(clientSecret);
}

function resolveTokenParameters(value: unknown): readonly (readonly [string, string])[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`tokenParameters: must be an object of strings, got ${describe(value)}`);
  }
  return Object.entries(value).map(([name, parameter]) => {
    if (reservedParameters.has(name.toLowerCase())) {
      throw new TypeError(`tokenParameters: "${name}" is set by tokenkeeper and cannot be overridden`);
    }
    if (typeof parameter !== "string") throw new TypeError(`tokenParameters.${name}: must be a string`);
    return [name, parameter] as const;
  });
}

function resolveOrigins(options: TokenKeeperOptions, baseUrl: URL | undefined, allowInsecure: boolean): ReadonlySet<string> {
  const origins = new Set<string>();
  if (baseUrl) origins.add(baseUrl.origin);
  const list = options.allowedOrigins;
  if (list === undefined) return origins;
  if (!Array.isArray(list)) throw new TypeError("allowedOrigins: must be a list of origins");
  list.forEach((origin: unknown, i) => origins.add(parseEndpointUrl(origin, `allowedOrigins[${i}]`, allowInsecure).origin));
  return origins;
}

function resolveRetry(value: TokenKeeperOptions["retry"]): RetryPolicy {
  if (value === false) return { ...defaults.retry, maxAttempts: 1 };
  if (value === undefined) return defaults.retry;
  if (typeof value !== "object" || value === null) throw new TypeError(`retry: must be an object or false, got ${describe(value)}`);
  return {
    maxAttempts: count(value.maxAttempts, "retry.maxAttempts", defaults.retry.maxAttempts),
    baseDelayMs: duration(value.baseDelayMs, "retry.baseDelayMs", defaults.retry.baseDelayMs),
    maxDelayMs: duration(value.maxDelayMs, "retry.maxDelayMs", defaults.retry.maxDelayMs),
    cooldownAfterFailures: count(value.cooldownAfterFailures, "retry.cooldownAfterFailures", defaults.retry.cooldownAfterFailures),
    cooldownMs: duration(value.cooldownMs, "retry.cooldownMs", defaults.retry.cooldownMs),
    totalTimeoutMs: duration(value.totalTimeoutMs, "retry.totalTimeoutMs", defaults.retry.totalTimeoutMs, 1),
  };
}

function optionalFunction<T>(value: T, option: string): T {
  if (value !== undefined && typeof value !== "function") throw new TypeError(`${option}: must be a function`);
  return value;
}

function isAesGcmKey(value: unknown): boolean {
  const key = value as Partial<CryptoKey> | null;
  return typeof key === "object" && key !== null && key.type === "secret" && key.algorithm?.name === "AES-GCM" &&
    Array.isArray(key.usages) && key.usages.includes("encrypt") && key.usages.includes("decrypt");
}

/**
 * Validates and defaults every option, loudly, in one place. Never mutates `options`.
 *
 * @throws {TypeError} On a missing or malformed option, naming it.
 * @throws {RangeError} On a number out of range, naming it.
 */
export function resolveOptions(options: TokenKeeperOptions): Config {
  if (typeof options !== "object" || options === null) throw new TypeError("createTokenKeeper: options must be an object");
  const allowInsecure = options[allowInsecureRequests] === true;
  if (options.tokenEndpoint !== undefined && options.issuer !== undefined) {
    throw new TypeError("tokenEndpoint and issuer: give one, not both");
  }
  if (options.tokenEndpoint === undefined && options.issuer === undefined) {
    throw new TypeError("tokenEndpoint or issuer: one is required");
  }
  const tokenEndpoint = options.tokenEndpoint === undefined ? undefined : parseEndpointUrl(options.tokenEndpoint, "tokenEndpoint", allowInsecure);
  const issuer = options.issuer === undefined ? undefined : parseEndpointUrl(options.issuer, "issuer", allowInsecure);
  if (typeof options.clientId !== "string" || options.clientId === "") {
    throw new TypeError(`clientId: must be a non-empty string, got ${describe(options.clientId)}`);
  }
  const baseUrl = options.baseUrl === undefined ? undefined : parseEndpointUrl(options.baseUrl, "baseUrl", allowInsecure);
  const fetchOption = options[customFetch];
  const clockOption = options[clock];
  if (clockOption !== undefined && typeof clockOption?.now !== "function") throw new TypeError("[clock]: must have a now() method");
  const defaultLifetimeMs = duration(options.defaultLifetimeMs, "defaultLifetimeMs", defaults.defaultLifetimeMs, 1);
  const maxLifetimeMs = duration(options.maxLifetimeMs, "maxLifetimeMs", defaults.maxLifetimeMs, 1);
  if (options.dpop !== undefined && !(options.dpop?.privateKey && options.dpop?.publicKey)) {
    throw new TypeError("dpop: must be a CryptoKeyPair");
  }
  const store = options.store;
  if (store !== undefined && (typeof store?.get !== "function" || typeof store.set !== "function" || typeof store.delete !== "function")) {
    throw new TypeError("store: must implement get, set and delete (see TokenStore)");
  }
  if (options.storeEncryptionKey !== undefined && options.store === undefined) {
    throw new TypeError("storeEncryptionKey: only makes sense with store");
  }
  if (options.storeEncryptionKey !== undefined && !isAesGcmKey(options.storeEncryptionKey)) {
    throw new TypeError("storeEncryptionKey: must be an AES-GCM CryptoKey with the encrypt and decrypt usages");
  }
  return {
    tokenEndpoint,
    issuer,
    clientId: options.clientId,
    auth: resolveAuth(options),
    scope: parseScope(options.scope, "scope"),
    resource: parseResource(options.resource, "resource"),
    tokenParameters: resolveTokenParameters(options.tokenParameters),
    baseUrl,
    allowedOrigins: resolveOrigins(options, baseUrl, allowInsecure),
    timeoutMs: duration(options.timeoutMs, "timeoutMs", defaults.timeoutMs, 1),
    maxCacheEntries: count(options.maxCacheEntries, "maxCacheEntries", defaults.maxCacheEntries),
    refreshWindowMs: duration(options.refreshWindowMs, "refreshWindowMs", defaults.refreshWindowMs),
    expiryMarginMs: duration(options.expiryMarginMs, "expiryMarginMs", defaults.expiryMarginMs),
    defaultLifetimeMs: Math.min(defaultLifetimeMs, maxLifetimeMs),
    maxLifetimeMs,
    retry: resolveRetry(options.retry),
    store: options.store,
    storeEncryptionKey: options.storeEncryptionKey,
    onEvent: optionalFunction(options.onEvent, "onEvent"),
    waitUntil: optionalFunction(options.waitUntil, "waitUntil"),
    dpop: options.dpop,
    fetch: optionalFunction(fetchOption, "[customFetch]") ?? ((input, init) => fetch(input, init)),
    clock: clockOption ?? Date,
    allowInsecure,
  };
}
