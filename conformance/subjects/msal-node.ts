// @azure/msal-node v7 (Node only), used as its docs show for daemon apps: a
// ConfidentialClientApplication with a client secret or a certificate, and
// `acquireTokenByClientCredential({ scopes })`, which answers from MSAL's own token cache until the
// token is within its renewal offset. The authority is the fake issuer, in OIDC protocol mode
// (`system.protocolMode: "OIDC"`, `knownAuthorities`, as the docs say for non-Microsoft authorities); a
// static token endpoint is given as `authorityMetadata`. MSAL takes no fetch: the transport is its
// own network-client hook, `system.networkClient`, filled with a copy of MSAL's default client
// (src/network/HttpClient.ts at the graded version: the global fetch, redirects followed, JSON
// parsed) whose only change is that it calls env.fetch. MSAL requires a scope (`scope_required`),
// signs assertions with RSA keys from a certificate (`rsa_keys`), reads the global Date
// (fake-timers mode), and has no resource-request helper, no client_secret_basic, no resource
// indicators and no timeout for token requests.
import { createAuthError, createNetworkError, ClientAuthErrorCodes } from "@azure/msal-common/node";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-common/node";
import { AuthError, ClientConfigurationError, ConfidentialClientApplication, LogLevel, ProtocolMode, ServerError } from "@azure/msal-node";
import type { Configuration } from "@azure/msal-node";
import type { ErrorInfo, FetchLike, Subject, SubjectEnv, SubjectInstance, TokenResult } from "../types.ts";

/**
 * MSAL Node's HttpClient (7.2.4, src/network/HttpClient.ts) with `fetch` replaced by the suite's
 * transport; everything else as MSAL does it, redirects (fetch's default, "follow") included.
 */
export function msalNetworkClient(fetch: FetchLike): INetworkModule {
  async function sendRequest<T>(url: string, method: "GET" | "POST", options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const controller = new AbortController();
    let timeoutId: ReturnType<typeof setTimeout> | undefined;
    if (timeout) timeoutId = setTimeout(() => controller.abort(), timeout);
    const headers = new Headers();
    for (const [key, value] of Object.entries(options?.headers ?? {})) headers.append(key, value);
    const init: RequestInit = { method, headers, signal: controller.signal };
    if (method === "POST") init.body = options?.body || "";
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (timeoutId) clearTimeout(timeoutId);
      if (error instanceof Error && error.name === "AbortError") throw createAuthError(ClientAuthErrorCodes.networkError, "Request timeout");
      const base = createAuthError(ClientAuthErrorCodes.networkError, `Network request failed: ${error instanceof Error ? error.message : "unknown"}`);
      throw createNetworkError(base, undefined, undefined, error instanceof Error ? error : undefined);
    }
    if (timeoutId) clearTimeout(timeoutId);
    try {
      const dict: Record<string, string> = {};
      response.headers.forEach((value, key) => void (dict[key] = value));
      return { headers: dict, body: (await response.json()) as T, status: response.status };
    } catch (error) {
      throw createAuthError(ClientAuthErrorCodes.tokenParsingError, `Failed to parse response: ${error instanceof Error ? error.message : "unknown"}`);
    }
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => sendRequest(url, "GET", options, timeout),
    sendPostRequestAsync: (url, options) => sendRequest(url, "POST", options),
  };
}

function authority(env: SubjectEnv): Pick<Configuration["auth"], "authority" | "knownAuthorities" | "authorityMetadata"> {
  if (env.issuer !== undefined) return { authority: env.issuer, knownAuthorities: [new URL(env.issuer).host] };
  const endpoint = new URL(env.tokenEndpoint!);
  // MSAL insists on these four members (isOpenIdConfigResponse); only token_endpoint is used.
  const metadata = { issuer: endpoint.origin, token_endpoint: endpoint.href, authorization_endpoint: `${endpoint.origin}/authorize`, jwks_uri: `${endpoint.origin}/jwks` };
  return { authority: endpoint.origin, knownAuthorities: [endpoint.host], authorityMetadata: JSON.stringify(metadata) };
}

function credential(env: SubjectEnv): Pick<Configuration["auth"], "clientSecret" | "clientCertificate"> {
  const a = env.auth;
  switch (a.method) {
    case "client_secret_post":
    case "auto":
      return { clientSecret: a.clientSecret };
    case "private_key_jwt":
      if (!a.privateKeyPem || !a.x5tS256) throw new TypeError("MSAL signs client assertions with a certificate and its PEM key (capability rsa_keys)");
      // MSAL takes the thumbprint in hex.
      return { clientCertificate: { thumbprintSha256: hex(a.x5tS256), privateKey: a.privateKeyPem } };
    default:
      // No other client authentication: MSAL refuses a client without a credential itself.
      return {};
  }
}

const hex = (b64url: string) => [...atob(b64url.replace(/-/g, "+").replace(/_/g, "/"))].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

function create(env: SubjectEnv): SubjectInstance {
  const app = new ConfidentialClientApplication({
    auth: { clientId: env.clientId, ...authority(env), ...credential(env) },
    system: {
      protocolMode: ProtocolMode.OIDC,
      networkClient: msalNetworkClient(env.fetch),
      loggerOptions: { loggerCallback: (_level, message) => env.log(message), piiLoggingEnabled: false, logLevel: LogLevel.Verbose },
    },
  });
  const scopes = (call?: readonly string[]) => [...(call ?? env.scope ?? [])];
  return {
    async getToken(call = {}): Promise<TokenResult> {
      const result = await app.acquireTokenByClientCredential({ scopes: scopes(call.scope), ...(call.forceRefresh ? { skipCache: true } : {}) });
      if (!result) throw new Error("acquireTokenByClientCredential returned null");
      return { accessToken: result.accessToken, tokenType: result.tokenType, expiresAt: result.expiresOn?.getTime(), scope: result.scopes.join(" ") };
    },
    fetch: () => Promise.reject(new TypeError("MSAL Node has no resource-request helper")),
    invalidate: async () => {},
    close: async () => {},
  };
}

function classify(error: unknown): ErrorInfo {
  const message = String((error as Error)?.message ?? error);
  if (error instanceof ServerError) return { kind: "oauth", status: error.status, error: error.errorCode, message, code: error.name };
  if (error instanceof ClientConfigurationError) return { kind: "config", message, code: error.errorCode };
  if (error instanceof AuthError) {
    if (error.errorCode === ClientAuthErrorCodes.networkError) return { kind: /timeout/i.test(message) ? "timeout" : "network", message, code: error.errorCode };
    if (error.errorCode === ClientAuthErrorCodes.tokenParsingError) return { kind: "invalid_response", message, code: error.errorCode };
    return { kind: "other", message, code: error.errorCode };
  }
  if (error instanceof TypeError) return { kind: "config", message, code: error.name };
  return { kind: "other", message, code: (error as Error)?.name };
}

export const msalNodeSubject: Subject = {
  name: "@azure/msal-node",
  packageName: "@azure/msal-node",
  capabilities: ["client_secret_post", "private_key_jwt", "rsa_keys", "discovery", "scope", "scope_required", "fake_timers"],
  create,
  classify,
};

export default msalNodeSubject;
