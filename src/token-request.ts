import * as oauth from "oauth4webapi";
import { bodyText, type BufferedResponse, readBounded, toResponse } from "./bounded-body.ts";
import { authFunctionOf, carriesCredential, type ClientAuthentication, isCustomClientAuth } from "./client-auth.ts";
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
  /** The keeper's secrets (the client secret); each request adds its own. */
  readonly redactor: Redactor;
}

/** Longest `error_description`, `error_uri` or body excerpt kept on an error. */
const excerptLength = 256;

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
  let sent = false;
  const redactor = new Redactor(context.redactor);
  const boundedFetch: NonNullable<oauth.TokenEndpointRequestOptions[typeof oauth.customFetch]> = async (url, init) => {
    sent = true;
    const authorization = new Headers(init.headers as HeadersInit).get("authorization");
    if (authorization !== null) redactor.addAuthorization(authorization);
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
  const auth = watchedAuth(config.auth, redactor);
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
    if (!sent && !signal.aborted && !isTokenKeeperError(error)) throw unusableCredential(error, redactor);
    throw toTokenKeeperError(error, buffered, signal, config.clock.now(), redactor);
  }
}

/**
 * Client authentication as the token request runs it: every value it writes (other than
 * `client_id`) is remembered as a secret, a failure is reported as `CREDENTIAL_UNUSABLE` without
 * the secret, and a request that would leave without any credential is stopped.
 */
function watchedAuth(authentication: ClientAuthentication, redactor: Redactor): oauth.ClientAuth {
  const { method } = authentication;
  const auth = authFunctionOf(authentication);
  return async (as, client, body, headers) => {
    try {
      await auth(as, client, recording(body, redactor, "client_id"), recording(headers, redactor));
    } catch (error) {
      if (!isCustomClientAuth(authentication) || isTokenKeeperError(error)) throw unusableCredential(error, redactor);
      // A caller's own function may quote the secret in its message, which nothing here knows.
      const name = error instanceof Error ? error.name : typeof error;
      throw new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: client authentication "${redactor.scrub(method)}" threw ${redactor.scrub(name)} (its message is not shown, as it may quote the credential)`);
    }
    if (!carriesCredential(method, body, headers)) {
      throw new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: client authentication "${method}" added no client credential`);
    }
  };
}

/** A view of `target` whose `set` and `append` remember each value (except `exempt`'s) as a secret. */
function recording<T extends URLSearchParams | Headers>(target: T, redactor: Redactor, exempt?: string): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object) as unknown;
      if (typeof value !== "function") return value;
      if (property !== "set" && property !== "append") return value.bind(object);
      return (name: string, secret: string) => {
        if (name !== exempt) redactor.add(String(secret));
        return (value as (name: string, value: string) => void).call(object, name, secret);
      };
    },
  });
}

/** A failure to build the request from the configured credential: local, never retried. */
function unusableCredential(error: unknown, redactor: Redactor): TokenKeeperError {
  if (isTokenKeeperError(error)) return error;
  const why = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
  return new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: the client credential or DPoP key cannot be used (${redactor.excerpt(why, excerptLength)})`, {
    cause: redactor.safeError(error),
  });
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
    const why = error instanceof Error ? redactor.excerpt(error.message, excerptLength) : "no response";
    return new TokenKeeperError("NETWORK_ERROR", `token request failed: ${why}`, { retryable: true, cause: redactor.safeError(error) });
  }
  const retryAfterMs = parseRetryAfter(buffered.headers.get("retry-after"), now);
  const retryable = isRetryableStatus(status);
  const text = bodyText(buffered.bytes);
  const bodySnippet = text === undefined ? undefined : redactor.excerpt(text, excerptLength);
  const oauthError = parseOAuthError(buffered);
  if (oauthError) {
    const code = redactor.scrub(oauthError.error);
    const excerpt = (value: string | undefined) => value === undefined ? undefined : redactor.excerpt(value, excerptLength);
    return new TokenEndpointError(`token request failed: the server answered ${status} ${code}`, {
      error: code,
      errorDescription: excerpt(oauthError.description),
      errorUri: excerpt(oauthError.uri),
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
  const why = redactor.excerpt(error instanceof Error ? error.message.replace(/^"response" /, "") : "unusable response", excerptLength);
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
  return { error, description: typeof description === "string" ? description : undefined, uri: typeof uri === "string" ? uri : undefined };
}
