import * as oauth from "oauth4webapi";
import { type BufferedResponse, readBounded, toResponse } from "./bounded-body.ts";
import { authFunctionOf, type ClientAuthentication } from "../client-auth.ts";
import type { DPoPSupport } from "../dpop.ts";
import { isTokenKeeperError, TokenKeeperError } from "./errors.ts";
import { type LifetimePolicy, lifetimeMs } from "./lifetime.ts";
import { Redactor } from "./redact.ts";
import { isAccessTokenValue, type TokenRecord } from "./token.ts";
import { excerptLength, toTokenKeeperError } from "./token-error.ts";
import type { TokenQuery } from "./source.ts";
import type { FetchLike } from "./fetch-like.ts";

/** What one token request attempt needs. */
export interface AttemptContext {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly auth: ClientAuthentication;
  readonly dpop: { readonly handle: oauth.DPoPHandle; readonly support: DPoPSupport } | undefined;
  readonly tokenParameters: readonly (readonly [string, string])[];
  readonly lifetime: LifetimePolicy;
  /** The keeper's secrets (the client secret); each attempt adds its own. */
  readonly redactor: Redactor;
}

/** `expires_in` as a number or a numeric string ("3600", "3600.5"). */
const numericString = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * Sends one client-credentials token request through oauth4webapi and validates the answer. The
 * body is read whole (bounded) under `signal`, so the caller's deadline covers it.
 *
 * @throws {TokenKeeperError} A typed error; `retryable` says whether to try again.
 */
export async function requestToken(context: AttemptContext, query: TokenQuery, signal: AbortSignal): Promise<TokenRecord> {
  let buffered: BufferedResponse | undefined;
  let sent = false;
  const redactor = new Redactor(context.redactor);
  const boundedFetch: NonNullable<oauth.TokenEndpointRequestOptions[typeof oauth.customFetch]> = async (url, init) => {
    sent = true;
    buffered = await readBounded(await context.fetch(url, init as unknown as RequestInit), "token request");
    redactor.addResponse(buffered.json);
    return toResponse(stripIdToken(buffered));
  };
  const parameters = new URLSearchParams(context.tokenParameters as [string, string][]);
  if (query.scope.length > 0) parameters.set("scope", query.scope.join(" "));
  for (const uri of query.resource) parameters.append("resource", uri);
  const options: oauth.ClientCredentialsGrantRequestOptions = {
    signal,
    [oauth.customFetch]: boundedFetch,
    [oauth.allowInsecureRequests]: new URL(context.as.token_endpoint!).protocol === "http:",
    ...(context.dpop ? { DPoP: context.dpop.handle } : {}),
  };
  const authenticate = authFunctionOf(context.auth);
  const auth: oauth.ClientAuth = async (as, client, body, headers) => {
    try {
      await authenticate(as, client, body, headers, redactor);
    } finally {
      // What it wrote is as secret as the key or secret behind it: an assertion, a Basic credential.
      redactor.add(body.get("client_assertion"));
      const authorization = headers.get("authorization");
      if (authorization !== null) redactor.addAuthorization(authorization);
    }
  };
  const issuedAt = context.now();
  const send = async () => {
    const response = await oauth.clientCredentialsGrantRequest(context.as, context.client, auth, parameters, options);
    if (buffered?.status === 200) checkExpiresIn(buffered.json);
    return oauth.processClientCredentialsResponse(context.as, context.client, response);
  };
  try {
    let json: oauth.TokenEndpointResponse;
    try {
      json = await send();
    } catch (error) {
      // RFC 9449 §8: one retry with the nonce the server just issued (the DPoP handle keeps it).
      if (!context.dpop?.support.isNonceError(error)) throw error;
      json = await send();
    }
    return toRecord(json, context, query.scope, issuedAt);
  } catch (error) {
    if (!sent && !signal.aborted && !isTokenKeeperError(error)) throw unusableCredential(error, redactor);
    const host = new URL(context.as.token_endpoint!).host;
    throw toTokenKeeperError(error, { host, buffered, signal, now: context.now(), redactor });
  }
}

function checkExpiresIn(json: unknown): void {
  if (typeof json !== "object" || json === null || !("expires_in" in json)) return;
  const value = json.expires_in;
  if (typeof value === "number" || (typeof value === "string" && numericString.test(value))) return;
  throw new TokenKeeperError("INVALID_RESPONSE", 'token request failed: "expires_in" is not a number of seconds', { status: 200 });
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

function toRecord(json: oauth.TokenEndpointResponse, context: AttemptContext, scope: readonly string[], issuedAt: number): TokenRecord {
  if (!isAccessTokenValue(json.access_token)) {
    throw new TokenKeeperError("INVALID_RESPONSE", "token request failed: access_token has characters outside VSCHAR (RFC 6749 A.12)", { status: 200 });
  }
  let tokenType: "Bearer" | "DPoP";
  if (json.token_type === "bearer") tokenType = "Bearer";
  else if (json.token_type === "dpop" && context.dpop) tokenType = "DPoP";
  else {
    throw new TokenKeeperError("UNSUPPORTED_TOKEN_TYPE", `token request failed: token_type "${json.token_type}" is not supported`, { status: 200 });
  }
  return {
    accessToken: json.access_token,
    tokenType,
    issuedAt,
    expiresAt: issuedAt + lifetimeMs(json.expires_in, context.lifetime),
    scope: json.scope ?? (scope.length > 0 ? scope.join(" ") : undefined),
  };
}

/** A failure to build the request from the configured credential: local, never retried. */
function unusableCredential(error: unknown, redactor: Redactor): TokenKeeperError {
  if (isTokenKeeperError(error)) return error;
  const why = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
  return new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: the client credential or DPoP key cannot be used (${redactor.excerpt(why, excerptLength)})`, {
    cause: redactor.safeError(error),
  });
}
