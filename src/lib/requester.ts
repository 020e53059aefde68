import type * as oauth from "oauth4webapi";
import { secretsOf } from "../client-auth.ts";
import { oauthErrorOf, TokenKeeperError } from "./errors.ts";
import { shortHash } from "./events.ts";
import type { Config } from "./options.ts";
import { Redactor } from "./redact.ts";
import { backoffMs, retry } from "./retry.ts";
import { startDeadline, untilAborted } from "./timers.ts";
import { type AttemptContext, requestToken } from "./token-endpoint.ts";
import type { TokenRequester } from "./source.ts";

/**
 * Creates the function that gets a new token from the token endpoint: it resolves the endpoint
 * (static, or discovered once and kept), authenticates the client, adds DPoP proofs, and retries
 * network errors, 408, 429 and 5xx with backoff inside a total deadline. Each attempt has its own
 * `timeoutMs` deadline covering headers and body.
 *
 * @param config The resolved options.
 * @returns `(query, signal) => Promise<TokenRecord>`.
 */
export function createTokenRequester(config: Config): TokenRequester {
  const { clock, retry: policy, timeoutMs, emit } = config;
  const client: oauth.Client = { client_id: config.clientId };
  const redactor = new Redactor();
  for (const secret of secretsOf(config.auth)) redactor.add(secret);
  const dpop = config.dpop && { handle: config.dpop.handle(), support: config.dpop };
  const endpoint = config.tokenEndpoint;
  let server: Promise<oauth.AuthorizationServer> | undefined = endpoint instanceof URL
    // A static endpoint: the assertion audience defaults to the endpoint URL.
    ? Promise.resolve({ issuer: endpoint.href, token_endpoint: endpoint.href })
    : undefined;

  function authorizationServer(signal: AbortSignal): Promise<oauth.AuthorizationServer> {
    if (server === undefined) {
      const discovering = (endpoint as Exclude<typeof endpoint, URL>).resolve(config.fetch, config.http, signal);
      server = discovering;
      discovering.catch(() => {
        if (server === discovering) server = undefined;
      });
    }
    return server;
  }

  return async (query, signal) => {
    const started = clock.now();
    const key = query.eventKey;
    let attempts = 0;
    const record = await retry(async (n) => {
      attempts = n;
      const deadline = startDeadline(signal, timeoutMs, "token request");
      try {
        const as = await untilAborted(authorizationServer(deadline.signal), deadline.signal);
        const context: AttemptContext = { fetch: config.fetch, now: clock.now, as, client, auth: config.auth, dpop, tokenParameters: config.tokenParameters, lifetime: config, redactor };
        return await untilAborted(requestToken(context, query, deadline.signal), deadline.signal);
      } finally {
        deadline.clear();
      }
    }, {
      maxAttempts: policy.maxAttempts,
      signal,
      delayMs(n, error) {
        if (!(error instanceof TokenKeeperError) || !error.retryable) return undefined;
        const delayMs = backoffMs(n, policy, error.retryAfterMs, Math.random());
        if (clock.now() + delayMs - started > policy.totalTimeoutMs) return undefined;
        emit?.({ type: "retry_scheduled", key, request: query.request, attempt: n, delayMs, code: error.code, error: oauthErrorOf(error), status: error.status });
        return delayMs;
      },
    });
    emit?.({ type: "token_fetched", key, request: query.request, tokenHash: shortHash(record.accessToken), durationMs: clock.now() - started, expiresAt: record.expiresAt, attempts });
    return record;
  };
}
