import type * as oauth from "oauth4webapi";
import { oauthErrorOf, TokenKeeperError } from "./errors.ts";
import { shortHash } from "./events.ts";
import type { Config } from "./options.ts";
import { backoffMs, retry } from "./retry.ts";
import type { Obtained, TokenQuery, TokenRequester, TokenSource } from "./source.ts";
import { startDeadline, untilAborted } from "./timers.ts";
import type { TokenRecord } from "./token.ts";
import { clientCredentials, requestToken } from "./token-endpoint.ts";

const fromNetwork = (record: TokenRecord): Obtained => ({ record, source: "network" });

/**
 * Gets new tokens from the token endpoint: it resolves the endpoint (static, or discovered once by
 * the `discover()` value, which keeps it), and retries network errors, 408, 429 and 5xx with backoff
 * inside a total deadline; each attempt has its own `timeoutMs` deadline covering headers and body.
 * Without a shared store it is the cache entries' token source itself: nothing is shared, so
 * nothing is discarded.
 */
export class Requester implements TokenRequester, TokenSource {
  readonly #config: Config;
  /** The DPoP handle of token requests (nonces are kept per handle), made on first use. */
  #dpop: oauth.DPoPHandle | undefined;

  constructor(config: Config) {
    this.#config = config;
  }

  obtain(query: TokenQuery, _exclude: readonly string[], signal: AbortSignal): Promise<Obtained> {
    return this.request(query, signal).then(fromNetwork);
  }

  discard(): Promise<void> {
    return Promise.resolve();
  }

  /** A new token for `query`, with retries; resolves to its record, or rejects with the last error. */
  async request(query: TokenQuery, signal: AbortSignal): Promise<TokenRecord> {
    const config = this.#config;
    const { clock, emit, policy } = config;
    const started = clock.now();
    let attempts = 0;
    const dpop = config.dpop && { handle: (this.#dpop ??= config.dpop.handle()), support: config.dpop };
    const record = await retry(async (n) => {
      attempts = n;
      const deadline = startDeadline(signal, policy.timeoutMs, "token request");
      try {
        const as = await untilAborted(this.#authorizationServer(deadline.signal), deadline.signal);
        const request = { fetch: config.fetch, now: () => clock.now(), as, client: { client_id: config.clientId }, auth: config.auth, grant: config.grant ?? clientCredentials, dpop, tokenParameters: config.tokenParameters, lifetime: policy };
        return await untilAborted(requestToken(request, query, deadline.signal), deadline.signal);
      } finally {
        deadline.clear();
      }
    }, {
      maxAttempts: policy.retry.maxAttempts,
      signal,
      delayMs(n, error) {
        if (!(error instanceof TokenKeeperError) || !error.retryable) return undefined;
        const delayMs = backoffMs(n, policy.retry, error.retryAfterMs, Math.random());
        if (clock.now() + delayMs - started > policy.retry.totalTimeoutMs) return undefined;
        emit?.({ type: "retry_scheduled", key: query.eventKey, request: query.request, attempt: n, delayMs, code: error.code, error: oauthErrorOf(error), status: error.status });
        return delayMs;
      },
    });
    emit?.({ type: "token_fetched", key: query.eventKey, request: query.request, tokenHash: shortHash(record.accessToken), durationMs: clock.now() - started, expiresAt: record.expiresAt, attempts });
    return record;
  }

  #authorizationServer(signal: AbortSignal): Promise<oauth.AuthorizationServer> {
    const endpoint = this.#config.tokenEndpoint;
    // A static endpoint: the assertion audience defaults to the endpoint URL.
    return typeof endpoint === "string" ? Promise.resolve({ issuer: endpoint, token_endpoint: endpoint }) : endpoint.resolve(signal);
  }
}
