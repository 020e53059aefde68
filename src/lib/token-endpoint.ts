/**
 * The token endpoint, in one place: one token request sent through oauth4webapi (which builds the
 * request, authenticates the client and processes the response), its body read whole within a
 * bound, tokenkeeper's own rules applied once (`expires_in` a number of seconds, the token VSCHAR,
 * `token_type` Bearer or DPoP, an `id_token` ignored), every secret it sends or receives registered
 * for redaction, and whatever fails mapped to one typed, secret-free error.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import type { ClientAuth } from "./auth.ts";
import { isTokenKeeperError, TokenEndpointError, TokenKeeperError, type TokenKeeperErrorCode, type TokenKeeperErrorOptions } from "./errors.ts";
import { Redactor } from "./redact.ts";
import { isRetryableStatus, parseRetryAfter } from "./retry.ts";
import type { TokenQuery } from "./source.ts";
import { isAccessTokenValue, type LifetimePolicy, lifetimeMs, type TokenRecord } from "./token.ts";
import type { DPoPSupport, FetchLike, TokenGrant } from "./types.ts";

/** Largest token endpoint or discovery response tokenkeeper reads, in bytes. */
export const maxResponseBytes = 65_536;
/** Longest `error_description`, `error_uri` or body excerpt kept on an error. */
const excerptLength = 256;

/** A response read whole, within {@link maxResponseBytes}. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  /** The body parsed as JSON once, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** The client credentials grant (RFC 6749 §4.4): a `grant_type` and no parameters of its own. */
export const clientCredentials: TokenGrant = { type: "client_credentials" };

/** What one token request needs. */
export interface TokenEndpointRequest {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly auth: ClientAuth;
  readonly grant: TokenGrant;
  readonly dpop: { readonly handle: oauth.DPoPHandle; readonly support: DPoPSupport } | undefined;
  readonly tokenParameters: readonly (readonly [string, string])[];
  readonly lifetime: LifetimePolicy;
}

/**
 * Reads a response body to its end, refusing more than {@link maxResponseBytes}, and parses it as
 * JSON once. Reading happens under the request's signal, so the timeout covers the body too.
 *
 * @throws {TokenKeeperError} `INVALID_RESPONSE` when the body is too large.
 */
export async function readBounded(response: Response, what: string): Promise<Answer> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  // A declared length over the bound is refused before anything is read.
  let size = Number(response.headers.get("content-length")) > maxResponseBytes ? Infinity : 0;
  for (let read; reader && size <= maxResponseBytes && !(read = await reader.read()).done;) {
    chunks.push(read.value);
    size += read.value.byteLength;
  }
  if (size > maxResponseBytes) {
    await reader?.cancel().catch(() => {});
    throw new TokenKeeperError("INVALID_RESPONSE", `${what} failed: response body exceeds ${maxResponseBytes} bytes`, { status: response.status });
  }
  const bytes = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // Not JSON: oauth4webapi says so, and the error mapping shows an excerpt.
  }
  return { status: response.status, headers: response.headers, bytes, json };
}

/**
 * A fresh `Response` over a read body, for oauth4webapi to process. An `id_token` in a 200 answer
 * is left out: a client-credentials grant has no end user, and oauth4webapi would try to validate
 * it, and fail.
 */
export function toResponse({ status, headers, bytes, json }: Answer): Response {
  if (status === 200 && typeof json === "object" && json !== null && "id_token" in json) {
    const { id_token: _, ...rest } = json as Record<string, unknown>;
    bytes = new TextEncoder().encode(JSON.stringify(rest));
  }
  return new Response(status === 204 || status === 205 || status === 304 ? null : bytes as BodyInit, { status, headers });
}

/**
 * Sends one token request and returns the token it issued. The body is read whole under `signal`,
 * so the caller's deadline covers it.
 *
 * @throws {TokenKeeperError} A typed error without secrets; `retryable` says whether to try again.
 */
export async function requestToken(request: TokenEndpointRequest, query: TokenQuery, signal: AbortSignal): Promise<TokenRecord> {
  const { as, client, dpop } = request;
  const redactor = new Redactor(request.auth.secrets());
  let answer: Answer | undefined;
  let sent = false;
  const options: oauth.TokenEndpointRequestOptions = {
    signal,
    [oauth.customFetch]: async (url, init) => {
      sent = true;
      answer = await readBounded(await request.fetch(url, init as RequestInit), "token request");
      redactor.addResponse(answer.json);
      return toResponse(answer);
    },
    // Every URL that reaches here passed the keeper's own https rule (loopback, dangerouslyAllowHttp).
    [oauth.allowInsecureRequests]: true,
    ...(dpop ? { DPoP: dpop.handle } : {}),
  };
  const parameters = new URLSearchParams(request.tokenParameters as [string, string][]);
  if (query.scope.length > 0) parameters.set("scope", query.scope.join(" "));
  for (const uri of query.resource) parameters.append("resource", uri);
  const authenticate: oauth.ClientAuth = async (as, client, body, headers) => {
    try {
      await request.auth.authenticate(as, client, body, headers, redactor, request.now);
      // The grant's own parameters go last: no token parameter and no authentication overrides them.
      await request.grant.parameters?.(body, as, client);
    } finally {
      // What they wrote is as secret as the key or secret behind it: an assertion, a Basic credential.
      for (const name of ["client_assertion", "assertion"]) redactor.add(body.get(name));
      const authorization = headers.get("authorization");
      if (authorization !== null) redactor.addAuthorization(authorization);
    }
  };
  const issuedAt = request.now();
  const send = async () => oauth.processGenericTokenEndpointResponse(as, client, await oauth.genericTokenEndpointRequest(as, client, authenticate, request.grant.type, parameters, options));
  try {
    let json: oauth.TokenEndpointResponse;
    try {
      json = await send();
    } catch (error) {
      // RFC 9449 §8: one retry with the nonce the server just issued (the DPoP handle keeps it).
      if (!dpop?.support.isNonceError(error)) throw error;
      json = await send();
    }
    return toRecord(json, (answer!.json as { expires_in?: unknown }).expires_in, request, query.scope, issuedAt);
  } catch (error) {
    throw toTokenKeeperError(error, new URL(as.token_endpoint!).host, sent, answer, signal, redactor, request.now());
  }
}

/**
 * tokenkeeper's own rules for a token oauth4webapi accepted: `expires_in` on the wire is a number or
 * a numeric string (oauth4webapi would take "12abc" as 12), the token is VSCHAR without space (RFC
 * 6749 A.12: anything else must never reach a header), and its type is Bearer, or DPoP for a keeper
 * with a DPoP key. What breaks a rule is thrown as oauth4webapi would throw it, and mapped with its
 * errors by {@link toTokenKeeperError}.
 */
function toRecord(json: oauth.TokenEndpointResponse, expiresIn: unknown, request: TokenEndpointRequest, scope: readonly string[], issuedAt: number): TokenRecord {
  if (expiresIn !== undefined && typeof expiresIn !== "number" && !/^\s*\d+(?:\.\d+)?\s*$/.test(String(expiresIn))) throw new Error('"expires_in" is not a number of seconds');
  if (!isAccessTokenValue(json.access_token)) throw new Error("access_token has characters outside VSCHAR (RFC 6749 A.12)");
  const tokenType = json.token_type === "bearer" ? "Bearer" : json.token_type === "dpop" && request.dpop ? "DPoP" : undefined;
  if (tokenType === undefined) throw new oauth.UnsupportedOperationError("");
  return {
    accessToken: json.access_token,
    tokenType,
    issuedAt,
    expiresAt: issuedAt + lifetimeMs(json.expires_in, request.lifetime),
    scope: json.scope ?? (scope.length > 0 ? scope.join(" ") : undefined),
  };
}

/**
 * Maps anything a token request can throw to a {@link TokenKeeperError} that holds no secret and
 * says what to check. oauth4webapi errors carry the whole response body in `cause`, so they are
 * never kept; other causes are kept as scrubbed copies.
 */
function toTokenKeeperError(error: unknown, host: string, sent: boolean, answer: Answer | undefined, signal: AbortSignal, redactor: Redactor, now: number): TokenKeeperError {
  if (signal.aborted) return isTokenKeeperError(signal.reason) ? signal.reason : new TokenKeeperError("ABORTED", `token request to ${host} aborted`);
  if (isTokenKeeperError(error)) return error;
  const excerpt = (text: string) => redactor.excerpt(text, excerptLength);
  const why = error instanceof Error ? error.message : "unknown error";
  const fail = (code: TokenKeeperErrorCode, text: string, options: TokenKeeperErrorOptions) => new TokenKeeperError(code, `token request to ${host} failed: ${text}`, options);
  if (!sent) {
    // A failure to build the request from the configured credential: local, never retried.
    return new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: the client credential or DPoP key cannot be used (${excerpt(error instanceof Error ? `${error.name}: ${why}` : why)})`, {
      cause: redactor.safeError(error),
    });
  }
  if (answer === undefined) return fail("NETWORK_ERROR", excerpt(networkReason(error)), { retryable: true, cause: redactor.safeError(error) });
  const { status, headers, json } = answer;
  const retryable = isRetryableStatus(status);
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
  // RFC 6749 §5.2: an error response; a 200 without a token but with an error is read as one too.
  const { error: code, error_description: description, error_uri: uri, token_type: tokenType } = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof code === "string" && /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,128}$/.test(code) && !(status === 200 && "access_token" in (json as object))) {
    const safe = redactor.scrub(code);
    const text = typeof description === "string" ? excerpt(description) : undefined;
    return new TokenEndpointError(`token request to ${host} failed: ${status} ${safe}${text ? `: ${text}` : ""}`, {
      error: safe,
      error_description: text,
      error_uri: typeof uri === "string" ? excerpt(uri) : undefined,
      status,
      retryable,
      retryAfterMs,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError && status === 401) {
    // RFC 6749 §5.2: a 401 with a WWW-Authenticate challenge is how invalid_client may look.
    return new TokenEndpointError(`token request to ${host} failed: 401 invalid_client (check clientId and the client secret)`, { error: "invalid_client", status });
  }
  const text = answer.bytes.byteLength === 0 ? undefined : new TextDecoder().decode(answer.bytes);
  const bodySnippet = text === undefined ? undefined : excerpt(text);
  const html = /html/i.test(headers.get("content-type") ?? "") || /^\s*</.test(text ?? "");
  if (status !== 200) {
    return fail("HTTP_ERROR", `unexpected status ${status}${status === 404 || status === 405 || html ? " (not a token endpoint? check tokenEndpoint)" : ""}`, { status, retryable, retryAfterMs, bodySnippet });
  }
  if (error instanceof oauth.UnsupportedOperationError) return fail("UNSUPPORTED_TOKEN_TYPE", `token_type ${excerpt(JSON.stringify(tokenType))} is not supported`, { status });
  return fail("INVALID_RESPONSE", html ? "the answer is HTML, not a token response (check tokenEndpoint)" : excerpt(why.replace(/^"response" /, "")), {
    status,
    bodySnippet: typeof json === "object" && json !== null ? undefined : bodySnippet,
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
