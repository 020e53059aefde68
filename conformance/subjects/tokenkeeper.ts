// The reference subject: tokenkeeper, driven through its public API only.
import type { TokenKeeperOptions } from "tokenkeeper";
import {
  clientSecretBasic,
  clientSecretJwt,
  clock,
  createTokenKeeper,
  discover,
  dpop,
  isTokenKeeperError,
  privateKeyJwt,
  TokenEndpointError,
} from "tokenkeeper";
import type { ErrorInfo, ErrorKind, Subject, SubjectEnv, SubjectInstance } from "../types.ts";

const KIND: Record<string, ErrorKind> = {
  OAUTH_ERROR: "oauth",
  HTTP_ERROR: "http",
  INVALID_RESPONSE: "invalid_response",
  UNSUPPORTED_TOKEN_TYPE: "unsupported_token_type",
  DISCOVERY_FAILED: "discovery",
  NETWORK_ERROR: "network",
  TIMEOUT: "timeout",
  ORIGIN_NOT_ALLOWED: "origin",
};

/** Builds tokenkeeper options from a scenario env (exported for mutants). */
export function tokenKeeperOptions(env: SubjectEnv): TokenKeeperOptions {
  const options: TokenKeeperOptions = {
    // A scenario may give neither (to test refusal): the keeper then refuses the missing URL.
    tokenEndpoint: env.issuer !== undefined ? discover(env.issuer) : env.tokenEndpoint!,
    clientId: env.clientId,
    fetch: env.fetch,
    [clock]: { now: env.now },
    onEvent: (event) => env.log(`event ${JSON.stringify(event)}`),
  };
  const auth = env.auth;
  if (auth.method === "client_secret_post" || auth.method === "auto") options.clientSecret = auth.clientSecret;
  else if (auth.method === "client_secret_basic") options.clientAuth = clientSecretBasic(auth.clientSecret);
  else if (auth.method === "client_secret_jwt") options.clientAuth = clientSecretJwt(auth.clientSecret);
  else if (auth.method === "private_key_jwt") options.clientAuth = privateKeyJwt({ key: auth.privateKey, kid: auth.kid });
  if (env.scope !== undefined) options.scope = env.scope;
  if (env.resource !== undefined) options.resource = env.resource;
  if (env.baseUrl !== undefined) options.baseUrl = env.baseUrl;
  if (env.allowedOrigins !== undefined) options.allowedOrigins = env.allowedOrigins;
  if (env.dpop !== undefined) options.dpop = dpop(env.dpop);
  if (env.timeoutMs !== undefined) options.timeoutMs = env.timeoutMs;
  // env.allowInsecureLoopback needs nothing: tokenkeeper allows plain http on loopback by default.
  return options;
}

/** Wraps a keeper in the suite's instance shape. */
export function tokenKeeperInstance(options: TokenKeeperOptions): SubjectInstance {
  const keeper = createTokenKeeper(options);
  return {
    async getToken(call = {}) {
      const t = await keeper.getToken({
        ...(call.scope ? { scope: call.scope } : {}),
        ...(call.resource ? { resource: call.resource } : {}),
        ...(call.forceRefresh ? { forceRefresh: true } : {}),
      });
      return { accessToken: t.accessToken, tokenType: t.tokenType, expiresAt: t.expiresAt, scope: t.scope };
    },
    fetch: (url, init) => keeper.fetch(url, init),
    invalidate: (token) => keeper.invalidate(token),
    close: () => keeper.close(),
  };
}

/** Maps tokenkeeper errors to the suite's vocabulary. */
export function classifyTokenKeeper(error: unknown): ErrorInfo {
  if (isTokenKeeperError(error)) {
    return {
      kind: KIND[error.code] ?? "other",
      status: error.status,
      error: error instanceof TokenEndpointError || (error as { error?: unknown }).error !== undefined ? String((error as { error?: unknown }).error) : undefined,
      message: error.message,
      code: error.code,
    };
  }
  if (error instanceof TypeError || error instanceof RangeError) return { kind: "config", message: error.message, code: error.name };
  return { kind: "other", message: String((error as Error)?.message ?? error), code: (error as Error)?.name };
}

export const tokenkeeper: Subject = {
  name: "tokenkeeper",
  capabilities: [
    "client_secret_post",
    "client_secret_basic",
    "private_key_jwt",
    "discovery",
    "scope",
    "resource",
    "clock",
    "fetch",
    "origin_policy",
    "dpop",
    "timeout",
    "invalidate",
    "client_secret_jwt",
  ],
  create: (env) => tokenKeeperInstance(tokenKeeperOptions(env)),
  classify: classifyTokenKeeper,
};

export default tokenkeeper;
