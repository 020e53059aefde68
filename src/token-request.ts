import * as oauth from "oauth4webapi";
import { type BufferedResponse, readBounded, snippet, toResponse } from "./bounded-body.ts";
import { authFunctionOf } from "./client-auth.ts";
import { isTokenKeeperError, TokenEndpointError, TokenKeeperError } from "./errors.ts";
import { lifetimeMs } from "./lifetime.ts";
import { Redactor } from "./redact.ts";
import type { Config } from "./options.ts";
import { isRetryableStatus, parseRetryAfter } from "./retry.ts";
import type { TokenRecord } from "./token.ts";

/** What one token request needs beyond the config: the resolved server and the DPoP handle. */
export interface TokenRequestContext {
  readonly config: Config;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly dpop: oauth.DPoPHandle | undefined;
}

/** RFC 6749 Appendix A.12 (VSCHAR), without space: anything else must never reach a header. */
export const accessTokenChars: RegExp = /^[\x21-\x7E]+$/;
/** `expires_in` as a number or a numeric string ("3600", "3600.5"). */
const numericString = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * Sends one client-credentials token request through oauth4webapi and validates the answer.
 * The body is read whole (bounded) under `signal`, so the caller's deadline covers it.
 *
 * @throws {TokenKeeperError} A typed error; `retryable` says whether to try again.
 */
export async function requestToken(
  context: TokenRequestContext,
  scope: readonly string[],
  resource: readonly string[],
  signal: AbortSignal,
): Promise<TokenRecord> {
  const { config } = context;
  let buffered: BufferedResponse | undefined;
  const redactor = new Redactor();
  const boundedFetch: NonNullable<oauth.TokenEndpointRequestOptions[typeof oauth.customFetch]> = async (url, init) => {
    redactor.addRequest(init as unknown as RequestInit);
    buffered = await readBounded(await config.fetch(url, init as unknown as RequestInit), "token request");
    redactor.addResponse(buffered.json);
    return toResponse(stripIdToken(buffered));
  };
  const parameters = new URLSearchParams(config.tokenParameters as [string, string][]);
  if (scope.length > 0) parameters.set("scope", scope.join(" "));
  for (const uri of resource) parameters.append("resource", uri);
  const options: oauth.ClientCredentialsGrantRequestOptions = {
    signal,
    [oauth.customFetch]: boundedFetch,
    [oauth.allowInsecureRequests]: config.allowInsecure,
    ...(context.dpop ? { DPoP: context.dpop } : {}),
  };
  const auth = authFunctionOf(config.auth);
  const issuedAt = config.clock.now();
  try {
    let response = await oauth.clientCredentialsGrantRequest(context.as, context.client, auth, parameters, options);
    let json: oauth.TokenEndpointResponse;
    try {
      json = await processResponse(context, response, buffered);
    } catch (error) {
      // RFC 9449 §8: one retry with the nonce the server just issued (the DPoP handle cached it).
      if (!context.dpop || !oauth.isDPoPNonceError(error)) throw error;
      response = await oauth.clientCredentialsGrantRequest(context.as, context.client, auth, parameters, options);
      json = await processResponse(context, response, buffered);
    }
    return toRecord(json, context, scope, issuedAt);
  } catch (error) {
    throw toTokenKeeperError(error, buffered, signal, config.clock.now(), redactor);
  }
}

async function processResponse(context: TokenRequestContext, response: Response, buffered: BufferedResponse | undefined): Promise<oauth.TokenEndpointResponse> {
  if (buffered?.status === 200) checkExpiresIn(buffered.json, buffered.status);
  return oauth.processClientCredentialsResponse(context.as, context.client, response);
}

function checkExpiresIn(json: unknown, status: number): void {
  if (typeof json !== "object" || json === null || !("expires_in" in json)) return;
  const value = json.expires_in;
  if (typeof value === "number" || (typeof value === "string" && numericString.test(value))) return;
  throw new TokenKeeperError("INVALID_RESPONSE", 'token request failed: "expires_in" is not a number of seconds', { status });
}

/**
 * An `id_token` in a client-credentials response is not ours to validate (there is no end user);
 * oauth4webapi would try, and fail. Drop it before processing.
 */
function stripIdToken(buffered: BufferedResponse): BufferedResponse {
  const json = buffered.json;
  if (buffered.status !== 200 || typeof json !== "object" || json === null || !("id_token" in json)) return buffered;
  const { id_token: _, ...rest } = json as Record<string, unknown>;
  return { ...buffered, bytes: new TextEncoder().encode(JSON.stringify(rest)), json: rest };
}

function toRecord(json: oauth.TokenEndpointResponse, context: TokenRequestContext, scope: readonly string[], issuedAt: number): TokenRecord {
  if (!accessTokenChars.test(json.access_token)) {
    throw new TokenKeeperError("INVALID_RESPONSE", "token request failed: access_token has characters outside VSCHAR (RFC 6749 A.12)", { status: 200 });
  }
  let tokenType: "Bearer" | "DPoP";
  if (json.token_type === "bearer") tokenType = "Bearer";
  else if (json.token_type === "dpop" && context.dpop) tokenType = "DPoP";
  else {
    throw new TokenKeeperError("UNSUPPORTED_TOKEN_TYPE", `token request failed: token_type "${json.token_type}" is not supported`, { status: 200 });
  }
  const lifetime = lifetimeMs(json.expires_in, context.config);
  return {
    accessToken: json.access_token,
    tokenType,
    issuedAt,
    expiresAt: issuedAt + lifetime,
    scope: json.scope ?? (scope.length > 0 ? scope.join(" ") : undefined),
  };
}

/**
 * Maps anything a token request can throw to a {@link TokenKeeperError} that holds no secret:
 * oauth4webapi errors carry the whole response body in `cause`, so they are never kept.
 */
export function toTokenKeeperError(
  error: unknown,
  buffered: BufferedResponse | undefined,
  signal: AbortSignal,
  now: number,
  redactor: Redactor,
): TokenKeeperError {
  if (signal.aborted) {
    const reason = signal.reason;
    return isTokenKeeperError(reason) ? reason : new TokenKeeperError("ABORTED", "token request aborted");
  }
  if (isTokenKeeperError(error)) return error;
  const status = buffered?.status;
  if (buffered === undefined || status === undefined) {
    if (error instanceof TypeError || error instanceof DOMException) {
      return new TokenKeeperError("NETWORK_ERROR", `token request failed: ${error.message}`, { retryable: true, cause: error });
    }
    return new TokenKeeperError("NETWORK_ERROR", "token request failed before a response arrived", { retryable: true });
  }
  const retryAfterMs = parseRetryAfter(buffered.headers.get("retry-after"), now);
  const retryable = isRetryableStatus(status);
  const bodySnippet = redactor.scrub(snippet(buffered.bytes));
  const oauthError = parseOAuthError(buffered);
  if (oauthError) {
    const code = redactor.scrub(oauthError.error);
    return new TokenEndpointError(`token request failed: the server answered ${status} ${code}`, {
      error: code,
      errorDescription: redactor.scrub(oauthError.description),
      errorUri: redactor.scrub(oauthError.uri),
      status,
      retryable,
      retryAfterMs,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError && status === 401) {
    // RFC 6749 §5.2: a 401 with a WWW-Authenticate challenge is how invalid_client may look.
    return new TokenEndpointError("token request failed: the server answered 401 invalid_client", { error: "invalid_client", status });
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new TokenKeeperError("UNSUPPORTED_TOKEN_TYPE", "token request failed: token_type is not supported", { status });
  }
  if (status !== 200) {
    return new TokenKeeperError("HTTP_ERROR", `token request failed: unexpected status ${status}`, { status, retryable, retryAfterMs, bodySnippet });
  }
  const why = redactor.scrub(error instanceof Error ? error.message.replace(/^"response" /, "") : "unusable response");
  return new TokenKeeperError("INVALID_RESPONSE", `token request failed: ${why}`, {
    status,
    bodySnippet: typeof buffered.json === "object" && buffered.json !== null ? undefined : bodySnippet,
  });
}

function parseOAuthError(buffered: BufferedResponse): { error: string; description: string | undefined; uri: string | undefined } | undefined {
  const json = buffered.json;
  if (typeof json !== "object" || json === null || (buffered.status === 200 && "access_token" in json)) return undefined;
  const { error, error_description: description, error_uri: uri } = json as Record<string, unknown>;
  if (typeof error !== "string" || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,128}$/.test(error)) return undefined;
  return { error, description: typeof description === "string" ? clean(description) : undefined, uri: typeof uri === "string" ? clean(uri) : undefined };
}

function clean(text: string): string {
  const flat = text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, " ");
  return flat.length > 256 ? `${flat.slice(0, 256)}…` : flat;
}
