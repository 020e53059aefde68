import * as oauth from "oauth4webapi";
import { bodyText, type BufferedResponse } from "./bounded-body.ts";
import { isTokenKeeperError, TokenEndpointError, TokenKeeperError } from "./errors.ts";
import type { Redactor } from "./redact.ts";
import { isRetryableStatus, parseRetryAfter } from "./retry.ts";

/** Longest `error_description`, `error_uri` or body excerpt kept on an error. */
export const excerptLength = 256;

/** What a failed token request attempt knew when it failed. */
export interface FailedAttempt {
  /** The token endpoint's host, named in every message. */
  readonly host: string;
  /** The response, when one arrived. */
  readonly buffered: BufferedResponse | undefined;
  /** The attempt's signal: aborted by the caller, `close()` or the timeout. */
  readonly signal: AbortSignal;
  readonly now: number;
  readonly redactor: Redactor;
}

/**
 * Maps anything a token request attempt can throw to a {@link TokenKeeperError} that holds no
 * secret and says what to check. oauth4webapi errors carry the whole response body in `cause`,
 * so they are never kept; other causes are kept as scrubbed copies.
 */
export function toTokenKeeperError(error: unknown, attempt: FailedAttempt): TokenKeeperError {
  const { host, buffered, signal, redactor } = attempt;
  if (signal.aborted) {
    const reason = signal.reason;
    return isTokenKeeperError(reason) ? reason : new TokenKeeperError("ABORTED", `token request to ${host} aborted`);
  }
  if (isTokenKeeperError(error)) return error;
  const failed = `token request to ${host} failed`;
  if (buffered === undefined) {
    return new TokenKeeperError("NETWORK_ERROR", `${failed}: ${redactor.excerpt(networkReason(error), excerptLength)}`, {
      retryable: true,
      cause: redactor.safeError(error),
    });
  }
  const { status, headers } = buffered;
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), attempt.now);
  const retryable = isRetryableStatus(status);
  const oauthError = parseOAuthError(buffered);
  if (oauthError) {
    const code = redactor.scrub(oauthError.error);
    const excerpt = (value: string | undefined) => value === undefined ? undefined : redactor.excerpt(value, excerptLength);
    const description = excerpt(oauthError.description);
    return new TokenEndpointError(`${failed}: ${status} ${code}${description ? `: ${description}` : ""}`, {
      error: code,
      error_description: description,
      error_uri: excerpt(oauthError.uri),
      status,
      retryable,
      retryAfterMs,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError && status === 401) {
    // RFC 6749 §5.2: a 401 with a WWW-Authenticate challenge is how invalid_client may look.
    return new TokenEndpointError(`${failed}: 401 invalid_client (check clientId and the client secret)`, { error: "invalid_client", status });
  }
  const text = bodyText(buffered.bytes);
  const bodySnippet = text === undefined ? undefined : redactor.excerpt(text, excerptLength);
  const html = /html/i.test(headers.get("content-type") ?? "") || /^\s*</.test(text ?? "");
  if (status !== 200) {
    const hint = status === 404 || status === 405 || html ? " (not a token endpoint? check tokenEndpoint)" : "";
    return new TokenKeeperError("HTTP_ERROR", `${failed}: unexpected status ${status}${hint}`, { status, retryable, retryAfterMs, bodySnippet });
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new TokenKeeperError("UNSUPPORTED_TOKEN_TYPE", `${failed}: token_type is not supported`, { status });
  }
  const why = html ? "the answer is HTML, not a token response (check tokenEndpoint)" : redactor.excerpt(error instanceof Error ? error.message.replace(/^"response" /, "") : "unusable response", excerptLength);
  return new TokenKeeperError("INVALID_RESPONSE", `${failed}: ${why}`, {
    status,
    bodySnippet: typeof buffered.json === "object" && buffered.json !== null ? undefined : bodySnippet,
  });
}

/**
 * Why a request got no response, in the words a user can act on: the system error code
 * (`ENOTFOUND`, `ECONNREFUSED`, …) with its message, rather than "fetch failed".
 */
function networkReason(error: unknown): string {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^[A-Z][A-Za-z_]+$/.test(code)) return `${code} (${String(message)})`;
  }
  return error instanceof Error ? error.message : "no response";
}

function parseOAuthError(buffered: BufferedResponse): { error: string; description: string | undefined; uri: string | undefined } | undefined {
  const json = buffered.json;
  if (typeof json !== "object" || json === null || (buffered.status === 200 && "access_token" in json)) return undefined;
  const { error, error_description: description, error_uri: uri } = json as Record<string, unknown>;
  if (typeof error !== "string" || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,128}$/.test(error)) return undefined;
  return { error, description: typeof description === "string" ? description : undefined, uri: typeof uri === "string" ? uri : undefined };
}
