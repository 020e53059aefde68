/**
 * Discovery: the token endpoint found in the issuer's metadata (RFC 8414, then OpenID Connect
 * Discovery); the value of the keeper's `tokenEndpoint` option.
 *
 * @module
 */
import * as oauth from "oauth4webapi";
import { isTokenKeeperError, TokenKeeperError } from "./lib/errors.ts";
import { isRetryableStatus } from "./lib/retry.ts";
import { type Answer, readBounded, toResponse } from "./lib/token-endpoint.ts";
import { discoveryFeature, type FetchLike, type ServerResolver, type TokenEndpointDiscovery } from "./lib/types.ts";
import { type HttpPolicy, isSecureTarget } from "./lib/urls.ts";

export type { TokenEndpointDiscovery } from "./lib/types.ts";

/** How {@link discover} picks the token endpoint from the metadata. */
export interface DiscoverOptions {
  /**
   * The client authenticates with a TLS client certificate (RFC 8705): use the metadata's
   * `mtls_endpoint_aliases.token_endpoint` when it has one.
   * @default false
   */
  readonly mtls?: boolean;
}

/**
 * Finds the token endpoint through metadata: RFC 8414 (`/.well-known/oauth-authorization-server`)
 * first, then OpenID Connect Discovery. The metadata's `issuer` must equal `issuer` exactly, its
 * `token_endpoint` must be https (or http on loopback), and the client assertion audience (`private_key_jwt`,
 * `client_secret_jwt`) becomes the issuer. Metadata is fetched on the first token request and
 * kept; a failed fetch is tried again with the next request.
 *
 * With `mtls: true`, for a client that authenticates with a TLS client certificate (RFC 8705), the
 * token endpoint is the metadata's `mtls_endpoint_aliases.token_endpoint` when it has one (RFC
 * 8705 §5: the server may serve mTLS on other hosts), its `token_endpoint` otherwise; the alias
 * must be https like the endpoint.
 *
 * @param issuer The issuer identifier (https).
 * @param options `mtls`: use the server's mTLS endpoint alias.
 * @returns The value to pass as `tokenEndpoint`.
 * @throws {TypeError} When `issuer` is not an absolute URL.
 * @example
 * ```ts
 * import { createTokenKeeper, discover } from "tokenkeeper";
 *
 * const keeper = createTokenKeeper({
 *   tokenEndpoint: discover("https://login.example.com"),
 *   clientId: "my-client",
 *   clientSecret: "my-secret",
 * });
 * ```
 */
export function discover(issuer: string | URL, options: DiscoverOptions = {}): TokenEndpointDiscovery {
  if ((typeof issuer !== "string" && !(issuer instanceof URL)) || !URL.canParse(issuer)) {
    throw new TypeError(`discover: the issuer must be an absolute URL, got ${typeof issuer === "string" ? JSON.stringify(issuer) : typeof issuer}`);
  }
  const url = new URL(issuer);
  const mtls = options.mtls === true;
  return Object.freeze({
    issuer: url,
    [discoveryFeature]: (fetch: FetchLike, policy: HttpPolicy): ServerResolver => {
      // One keeper's metadata, fetched once; a failed discovery is tried again next time.
      let server: Promise<oauth.AuthorizationServer> | undefined;
      return (signal) => {
        if (server === undefined) {
          const discovering = (server = fetchMetadata(url, fetch, policy, signal, mtls));
          discovering.catch(() => {
            if (server === discovering) server = undefined;
          });
        }
        return server;
      };
    },
  });
}

async function fetchMetadata(issuer: URL, fetchImpl: FetchLike, policy: HttpPolicy, signal: AbortSignal, mtls: boolean): Promise<oauth.AuthorizationServer> {
  let last: TokenKeeperError | undefined;
  for (const algorithm of ["oauth2", "oidc"] as const) {
    let answer: Answer | undefined;
    const boundedFetch: NonNullable<oauth.DiscoveryRequestOptions[typeof oauth.customFetch]> = async (url, init) => {
      answer = await readBounded(await fetchImpl(url, init as unknown as RequestInit), "discovery");
      return toResponse(answer);
    };
    try {
      const response = await oauth.discoveryRequest(issuer, {
        algorithm,
        signal,
        [oauth.customFetch]: boundedFetch,
        [oauth.allowInsecureRequests]: issuer.protocol === "http:",
      });
      if (response.status === 404) {
        last = failure(`no ${algorithm === "oauth2" ? "RFC 8414" : "OpenID"} metadata (status 404)`, false, 404);
        continue;
      }
      const as = await oauth.processDiscoveryResponse(issuer, response);
      const alias = mtls ? as.mtls_endpoint_aliases?.token_endpoint : undefined;
      const name = alias === undefined ? "token_endpoint" : "mtls_endpoint_aliases.token_endpoint";
      const given = alias ?? as.token_endpoint;
      const endpoint = typeof given === "string" && URL.canParse(given) ? new URL(given) : undefined;
      if (endpoint === undefined) throw failure(`metadata has no valid ${name}`, false);
      if (!isSecureTarget(endpoint, policy)) throw failure(`${name} "${endpoint.href}" is not https`, false);
      return alias === undefined ? as : { ...as, token_endpoint: alias };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isTokenKeeperError(error)) throw error.code === "DISCOVERY_FAILED" ? error : failure(error.message, error.retryable, error.status);
      const status = answer?.status;
      const retryable = status === undefined || isRetryableStatus(status);
      throw failure(error instanceof Error ? error.message : "unexpected error", retryable, status);
    }
  }
  throw last!;

  function failure(why: string, retryable: boolean, status?: number): TokenKeeperError {
    return new TokenKeeperError("DISCOVERY_FAILED", `discovery of "${issuer.href}" failed: ${why}`, { retryable, status });
  }
}
