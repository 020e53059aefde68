import * as oauth from "oauth4webapi";
import { type BufferedResponse, readBounded, toResponse } from "./bounded-body.ts";
import { isTokenKeeperError, TokenKeeperError } from "./errors.ts";
import { isRetryableStatus } from "./retry.ts";
import type { FetchLike } from "./types.ts";
import { isSecureTarget } from "./urls.ts";

/**
 * Fetches and validates authorization server metadata: RFC 8414
 * (`/.well-known/oauth-authorization-server`) first, then OpenID Connect Discovery. The returned
 * `issuer` must equal `issuer` exactly, and the token endpoint must be https.
 *
 * @throws {TokenKeeperError} `DISCOVERY_FAILED` (retryable for network errors and 5xx).
 */
export async function discover(issuer: URL, fetchImpl: FetchLike, allowInsecure: boolean, signal: AbortSignal): Promise<oauth.AuthorizationServer> {
  let last: TokenKeeperError | undefined;
  for (const algorithm of ["oauth2", "oidc"] as const) {
    let buffered: BufferedResponse | undefined;
    const boundedFetch: NonNullable<oauth.DiscoveryRequestOptions[typeof oauth.customFetch]> = async (url, init) => {
      buffered = await readBounded(await fetchImpl(url, init as unknown as RequestInit), "discovery");
      return toResponse(buffered);
    };
    try {
      const response = await oauth.discoveryRequest(issuer, {
        algorithm,
        signal,
        [oauth.customFetch]: boundedFetch,
        [oauth.allowInsecureRequests]: allowInsecure,
      });
      if (response.status === 404) {
        last = failure(`no ${algorithm === "oauth2" ? "RFC 8414" : "OpenID"} metadata (status 404)`, false, 404);
        continue;
      }
      const as = await oauth.processDiscoveryResponse(issuer, response);
      const endpoint = typeof as.token_endpoint === "string" && URL.canParse(as.token_endpoint) ? new URL(as.token_endpoint) : undefined;
      if (endpoint === undefined) throw failure("metadata has no valid token_endpoint", false);
      if (!isSecureTarget(endpoint, allowInsecure)) throw failure(`token_endpoint "${endpoint.href}" is not https`, false);
      return as;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isTokenKeeperError(error)) throw error.code === "DISCOVERY_FAILED" ? error : failure(error.message, error.retryable, error.status);
      const status = buffered?.status;
      const retryable = status === undefined ? error instanceof TypeError : isRetryableStatus(status);
      throw failure(error instanceof Error ? error.message : "unexpected error", retryable, status, error instanceof TypeError && status === undefined ? error : undefined);
    }
  }
  throw last ?? failure("no metadata", false);

  function failure(why: string, retryable: boolean, status?: number, cause?: unknown): TokenKeeperError {
    return new TokenKeeperError("DISCOVERY_FAILED", `discovery of "${issuer.href}" failed: ${why}`, { retryable, status, cause });
  }
}
