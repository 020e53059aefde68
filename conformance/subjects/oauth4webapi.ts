// A second subject, and the worked example for other libraries: raw oauth4webapi, one token
// request per getToken() (no cache, no single flight, no retry), as its README's client
// credentials example does. The adapter reports what the library returns and nothing more (the
// granted scope only when the server sent one), and maps errors through their `cause` chain the way
// oauth4webapi builds them (a network failure or an abort stays underneath its own error). See ADAPTERS.md.
import * as oauth from "oauth4webapi";
import type { ErrorInfo, Subject, SubjectEnv, SubjectInstance, TokenResult } from "../types.ts";

function clientAuth(env: SubjectEnv): oauth.ClientAuth {
  const a = env.auth;
  switch (a.method) {
    case "client_secret_post":
    case "auto":
      return oauth.ClientSecretPost(a.clientSecret);
    case "client_secret_basic":
      return oauth.ClientSecretBasic(a.clientSecret);
    case "client_secret_jwt":
      return oauth.ClientSecretJwt(a.clientSecret);
    case "private_key_jwt":
      return oauth.PrivateKeyJwt({ key: a.privateKey, kid: a.kid });
    case "none":
      return oauth.None();
  }
}

async function create(env: SubjectEnv): Promise<SubjectInstance> {
  const client: oauth.Client = { client_id: env.clientId };
  const auth = clientAuth(env);
  const insecure = env.allowInsecureLoopback === true;
  const common = { [oauth.customFetch]: (url: string, init: object) => env.fetch(url, init as RequestInit), [oauth.allowInsecureRequests]: insecure };
  let as: oauth.AuthorizationServer | undefined;
  const server = async (signal: AbortSignal | undefined): Promise<oauth.AuthorizationServer> => {
    if (as) return as;
    if (env.issuer !== undefined) {
      const issuer = new URL(env.issuer);
      const response = await oauth.discoveryRequest(issuer, { ...common, algorithm: "oauth2", ...(signal ? { signal } : {}) });
      as = await oauth.processDiscoveryResponse(issuer, response);
    } else {
      as = { issuer: new URL(env.tokenEndpoint!).origin, token_endpoint: env.tokenEndpoint! };
    }
    return as;
  };
  const dpop = env.dpop ? oauth.DPoP(client, env.dpop) : undefined;
  const controller = new AbortController();

  async function getToken(call: { scope?: readonly string[]; resource?: readonly string[] } = {}): Promise<TokenResult> {
    // oauth4webapi has no timeout of its own: the caller's signal is the way, as its docs say. A
    // timer-driven controller (not AbortSignal.any over AbortSignal.timeout, which Node 20 may
    // collect before it fires) carries env.timeoutMs.
    const deadline = new AbortController();
    const onClose = () => deadline.abort(controller.signal.reason);
    controller.signal.addEventListener("abort", onClose, { once: true });
    const timer = env.timeoutMs ? setTimeout(() => deadline.abort(new DOMException("token request timed out", "TimeoutError")), env.timeoutMs) : undefined;
    try {
      return await request(deadline.signal, call);
    } finally {
      clearTimeout(timer);
      controller.signal.removeEventListener("abort", onClose);
    }
  }

  async function request(signal: AbortSignal, call: { scope?: readonly string[]; resource?: readonly string[] }): Promise<TokenResult> {
    const a = await server(signal);
    const params = new URLSearchParams();
    const scope = call.scope ?? env.scope;
    if (scope?.length) params.set("scope", scope.join(" "));
    for (const r of call.resource ?? env.resource ?? []) params.append("resource", r);
    const started = env.now();
    const send = () => oauth.clientCredentialsGrantRequest(a, client, auth, params, { ...common, signal, ...(dpop ? { DPoP: dpop } : {}) });
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processClientCredentialsResponse(a, client, await send());
    } catch (err) {
      if (!dpop || !oauth.isDPoPNonceError(err)) throw err;
      result = await oauth.processClientCredentialsResponse(a, client, await send());
    }
    return {
      accessToken: result.access_token,
      tokenType: result.token_type === "dpop" ? "DPoP" : "Bearer",
      expiresAt: result.expires_in === undefined ? undefined : started + result.expires_in * 1000,
      scope: result.scope,
    };
  }

  return {
    getToken,
    async fetch(url, init = {}) {
      const target = new URL(url, env.baseUrl);
      const token = await getToken();
      const headers = new Headers(init.headers);
      const body = (init.body ?? null) as oauth.ProtectedResourceRequestBody;
      const send = () =>
        oauth.protectedResourceRequest(token.accessToken, init.method ?? "GET", target, headers, body, {
          ...common,
          ...(token.tokenType === "DPoP" && dpop ? { DPoP: dpop } : {}),
        });
      try {
        return await send();
      } catch (err) {
        if (!dpop || !oauth.isDPoPNonceError(err)) throw err;
        return await send();
      }
    },
    invalidate: async () => {},
    close: async () => controller.abort(),
  };
}

/** A transport failure anywhere in the cause chain: an abort or timeout, or fetch's network TypeError. */
export function transportCause(error: unknown): "timeout" | "network" | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as Error).name;
    if (name === "TimeoutError" || name === "AbortError") return "timeout";
    if (e instanceof TypeError && /fetch failed|network|terminated|ECONNRESET|socket/i.test(`${e.message} ${String((e as { cause?: Error }).cause?.message ?? "")}`)) return "network";
  }
  return undefined;
}

/**
 * The OAuth `error` of a token endpoint response that oauth4webapi hands back unread: a
 * `WWWAuthenticateChallengeError` keeps it on `error.response`, as its docs say to inspect.
 */
export async function errorCodeOf(response: unknown): Promise<string | undefined> {
  if (!(response instanceof Response)) return undefined;
  try {
    const body = (await response.clone().json()) as { error?: unknown };
    return typeof body?.error === "string" ? body.error : undefined;
  } catch {
    return undefined;
  }
}

async function classify(error: unknown): Promise<ErrorInfo> {
  const message = String((error as Error)?.message ?? error);
  const transport = transportCause(error);
  if (transport) return { kind: transport, message, code: (error as Error)?.name };
  if (error instanceof oauth.ResponseBodyError) return { kind: "oauth", status: error.status, error: error.error, message, code: error.name };
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const param = error.cause[0]?.parameters.error ?? (await errorCodeOf(error.response));
    return { kind: param ? "oauth" : "http", status: error.status, error: param, message, code: error.name };
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return { kind: /token_type/.test(message) ? "unsupported_token_type" : "other", message, code: error.code };
  }
  if (error instanceof oauth.OperationProcessingError) {
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    if (error.code === oauth.HTTP_REQUEST_FORBIDDEN || error.code === oauth.REQUEST_PROTOCOL_FORBIDDEN) return { kind: "insecure", message, code: error.code };
    if (error.code === oauth.JSON_ATTRIBUTE_COMPARISON) return { kind: "discovery", message, code: error.code };
    if (error.code === oauth.RESPONSE_IS_NOT_CONFORM && status !== undefined && status >= 400) return { kind: "http", status, message, code: error.code };
    return { kind: "invalid_response", status, message, code: error.code };
  }
  if (error instanceof TypeError) return { kind: "config", message, code: error.name };
  return { kind: "other", message, code: (error as Error)?.name };
}

export const oauth4webapiSubject: Subject = {
  name: "oauth4webapi",
  capabilities: ["client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt", "discovery", "scope", "resource", "clock", "fetch", "dpop", "timeout"],
  create,
  classify,
};

export default oauth4webapiSubject;
