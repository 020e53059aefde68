/**
 * The closed set of {@link TokenKeeperError} codes. A `switch` over `error.code` narrows.
 *
 * - `OAUTH_ERROR`: the token endpoint answered with an OAuth error (`invalid_client`, …);
 *   see {@link TokenEndpointError}.
 * - `HTTP_ERROR`: the token endpoint answered with a status that carries no OAuth error.
 * - `INVALID_RESPONSE`: the token endpoint's success response is not a usable token response.
 * - `UNSUPPORTED_TOKEN_TYPE`: the issued `token_type` is neither `Bearer` nor `DPoP`.
 * - `DISCOVERY_FAILED`: authorization server metadata could not be fetched or validated.
 * - `CREDENTIAL_UNUSABLE`: the token request could not be built from the configured credential
 *   (a private key that cannot sign, a header value that cannot be sent, a client
 *   authentication that adds no credential); nothing was sent, and it is not retried.
 * - `NETWORK_ERROR`: the request could not be sent or its response could not be read.
 * - `TIMEOUT`: the request did not complete within `timeoutMs`.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `CLOSED`: the keeper was closed.
 * - `COOLDOWN`: recent token requests kept failing, so none is sent until the cooldown ends; the
 *   last failure is the `cause`.
 * - `ORIGIN_NOT_ALLOWED`: `keeper.fetch()` was asked to send the token to an origin it may not go to.
 * - `BODY_NOT_REPLAYABLE`: `keeper.fetch()` got a 401 about the token, and the request body cannot
 *   be sent a second time (only a string, `ArrayBuffer` or view, `Blob`, `URLSearchParams` or
 *   `FormData` body is replayed); the rejected token was dropped, so a retry by the caller gets a new one.
 *
 * A failing shared store is never an error of a call: it is reported as a `store_error` event.
 */
export type TokenKeeperErrorCode =
  | "OAUTH_ERROR"
  | "HTTP_ERROR"
  | "INVALID_RESPONSE"
  | "UNSUPPORTED_TOKEN_TYPE"
  | "DISCOVERY_FAILED"
  | "CREDENTIAL_UNUSABLE"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "CLOSED"
  | "COOLDOWN"
  | "ORIGIN_NOT_ALLOWED"
  | "BODY_NOT_REPLAYABLE";

/** Options of {@link TokenKeeperError}. */
export interface TokenKeeperErrorOptions {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number | undefined;
  /** Whether sending the same request again may succeed (network errors, 408, 429, 5xx). */
  retryable?: boolean | undefined;
  /** Delay the server asked for with `Retry-After`, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** A bounded, sanitised start of the response body, for diagnostics. */
  bodySnippet?: string | undefined;
  /** The underlying error; only ever an error that holds no secret (a scrubbed copy, or our own). */
  cause?: unknown;
}

/**
 * The one error class tokenkeeper throws for runtime failures. Configuration mistakes throw
 * `TypeError` or `RangeError` at construction instead.
 *
 * No message, property or `cause` ever holds a client secret, private key, client assertion or
 * access token.
 *
 * @example Handling a failed token request
 * ```ts
 * import { createTokenKeeper, isTokenKeeperError } from "tokenkeeper";
 *
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret" });
 * try {
 *   await keeper.getToken();
 * } catch (err) {
 *   // An OAuth error (invalid_client, invalid_scope…) will not go away by retrying: stop here.
 *   if (isTokenKeeperError(err) && err.code === "OAUTH_ERROR") throw new Error(`check the client configuration: ${err.message}`);
 *   throw err;
 * }
 * ```
 */
export class TokenKeeperError extends Error {
  /** What went wrong, from a closed set. */
  readonly code: TokenKeeperErrorCode;
  /** HTTP status of the response that caused the error, when there was one. */
  readonly status: number | undefined;
  /** Whether sending the same request again may succeed. */
  readonly retryable: boolean;
  /** Delay the server asked for with `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** A bounded, sanitised start of the response body (at most 256 characters). */
  readonly bodySnippet: string | undefined;

  /**
   * Creates an error with a code from the closed set.
   *
   * @param code What went wrong.
   * @param message `what failed: why`, with no secret in it.
   * @param options Status, retryability and a safe cause.
   */
  constructor(code: TokenKeeperErrorCode, message: string, options: TokenKeeperErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TokenKeeperError";
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.bodySnippet = options.bodySnippet;
  }
}

/**
 * Options of {@link TokenEndpointError}. The OAuth fields keep their wire names (snake_case) here
 * and on the error, as everywhere in tokenkeeper.
 */
export interface TokenEndpointErrorOptions extends TokenKeeperErrorOptions {
  /** The OAuth `error` code. */
  error: string;
  /** The OAuth `error_description`, bounded and scrubbed. */
  error_description?: string | undefined;
  /** The OAuth `error_uri`, bounded and scrubbed. */
  error_uri?: string | undefined;
}

/**
 * The token endpoint answered with an OAuth error response (RFC 6749 §5.2), including the
 * `401` + `WWW-Authenticate: Basic` shape of `invalid_client`. Never retried automatically.
 *
 * @example Telling a revoked credential apart
 * ```ts
 * import { createTokenKeeper, TokenEndpointError } from "tokenkeeper";
 *
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret" });
 * const needsNewSecret = await keeper.getToken().then(
 *   () => false,
 *   (err: unknown) => err instanceof TokenEndpointError && err.error === "invalid_client",
 * );
 * ```
 */
export class TokenEndpointError extends TokenKeeperError {
  /** The OAuth `error` code, such as `invalid_client` or `invalid_scope`. */
  readonly error: string;
  /** The OAuth `error_description`, bounded and stripped of control characters. */
  readonly error_description: string | undefined;
  /** The OAuth `error_uri`. */
  readonly error_uri: string | undefined;

  /**
   * Creates the error from the token endpoint's OAuth error fields.
   *
   * @param message `what failed: why`, with no secret in it.
   * @param options The OAuth error fields and the HTTP status.
   */
  constructor(message: string, options: TokenEndpointErrorOptions) {
    super("OAUTH_ERROR", message, options);
    this.name = "TokenEndpointError";
    this.error = options.error;
    this.error_description = options.error_description;
    this.error_uri = options.error_uri;
  }
}

/**
 * Whether `value` is a {@link TokenKeeperError}, also when it comes from another realm or another
 * copy of this library (matched by `name` and `code`).
 *
 * @param value Anything caught.
 * @returns `true` for tokenkeeper errors.
 * @example Narrowing a caught value
 * ```ts
 * import { createTokenKeeper, isTokenKeeperError } from "tokenkeeper";
 *
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret" });
 * const failures = new Map<string, number>();
 * try {
 *   await keeper.getToken();
 * } catch (err) {
 *   if (isTokenKeeperError(err)) failures.set(err.code, (failures.get(err.code) ?? 0) + 1);
 * }
 * ```
 */
export function isTokenKeeperError(value: unknown): value is TokenKeeperError {
  if (value instanceof TokenKeeperError) return true;
  return (
    value instanceof Error &&
    (value.name === "TokenKeeperError" || value.name === "TokenEndpointError") &&
    typeof (value as { code?: unknown }).code === "string"
  );
}

/**
 * Whether `value` is a {@link TokenEndpointError} (an OAuth error answer from the token endpoint),
 * also when it comes from another realm or another copy of this library; it narrows to the OAuth
 * fields `error`, `error_description` and `error_uri`.
 *
 * @param value Anything caught.
 * @returns `true` for token endpoint errors.
 * @example Telling a revoked credential apart
 * ```ts
 * import { createTokenKeeper, isTokenEndpointError } from "tokenkeeper";
 *
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret" });
 * const needsNewSecret = await keeper.getToken().then(
 *   () => false,
 *   (err: unknown) => isTokenEndpointError(err) && err.error === "invalid_client",
 * );
 * ```
 */
export function isTokenEndpointError(value: unknown): value is TokenEndpointError {
  return value instanceof TokenEndpointError || (isTokenKeeperError(value) && value.name === "TokenEndpointError" && typeof (value as { error?: unknown }).error === "string");
}

/** @internal The OAuth `error` code of a token endpoint error, for events. */
export function oauthErrorOf(error: unknown): string | undefined {
  return isTokenEndpointError(error) ? error.error : undefined;
}
