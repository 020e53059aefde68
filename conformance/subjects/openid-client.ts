// openid-client v6, used as its README shows for the client credentials grant: a Configuration
// (static or from RFC 8414 discovery), `clientCredentialsGrant()`, `fetchProtectedResource()`.
// As in the oauth4webapi adapter, a token is sent with the DPoP handle only when its token_type
// is DPoP (the README passes the handle to both calls; a Bearer token then must go as Bearer), the
// granted scope is reported only when the server sent one, and errors map through their cause.
// openid-client keeps no token: every getToken() and every fetch() requests a new one, as a user
// who follows the README gets (no cache, no single flight, no retry). DPoP follows the README
// too: the same handle goes to the token request and to every resource request. The transport is
// the library's `customFetch`; time is read from the global Date (graded in fake-timers mode).
import * as client from "openid-client";
import type { ErrorInfo, Subject, SubjectEnv, SubjectInstance, TokenResult } from "../types.ts";
import { errorCodeOf, transportCause } from "./oauth4webapi.ts";

function clientAuth(env: SubjectEnv): client.ClientAuth {
  const a = env.auth;
  switch (a.method) {
    case "client_secret_post":
    case "auto": // openid-client's default; it does not pick from metadata
      return client.ClientSecretPost(a.clientSecret);
    case "client_secret_basic":
      return client.ClientSecretBasic(a.clientSecret);
    case "client_secret_jwt":
      return client.ClientSecretJwt(a.clientSecret);
    case "private_key_jwt":
      return client.PrivateKeyJwt({ key: a.privateKey, kid: a.kid });
    case "none":
      return client.None();
  }
}

async function configure(env: SubjectEnv): Promise<client.Configuration> {
  const auth = clientAuth(env);
  const transport: client.CustomFetch = (url, options) => env.fetch(url, options as RequestInit);
  const timeout = env.timeoutMs === undefined ? undefined : env.timeoutMs / 1000;
  if (env.issuer !== undefined) {
    return client.discovery(new URL(env.issuer), env.clientId, undefined, auth, {
      [client.customFetch]: transport,
      algorithm: "oauth2",
      ...(timeout !== undefined ? { timeout } : {}),
      ...(env.allowInsecureLoopback ? { execute: [client.allowInsecureRequests] } : {}),
    });
  }
  const config = new client.Configuration({ issuer: new URL(env.tokenEndpoint!).origin, token_endpoint: env.tokenEndpoint! }, env.clientId, undefined, auth);
  config[client.customFetch] = transport;
  if (timeout !== undefined) config.timeout = timeout;
  if (env.allowInsecureLoopback) client.allowInsecureRequests(config);
  return config;
}

function create(env: SubjectEnv): SubjectInstance {
  let pending: Promise<client.Configuration> | undefined;
  // Discovery happens on first use; a failed one is tried again on the next call.
  const config = () => (pending ??= configure(env).catch((err: unknown) => {
    pending = undefined;
    throw err;
  }));
  // One DPoP handle for the client's life, as the README makes it: it keeps the server's nonces.
  let handle: Promise<client.DPoPHandle> | undefined;
  const options = async () => (env.dpop ? { DPoP: await (handle ??= config().then((c) => client.getDPoPHandle(c, env.dpop!))) } : {});

  async function getToken(call: { scope?: readonly string[]; resource?: readonly string[] } = {}): Promise<TokenResult> {
    const params = new URLSearchParams();
    const scope = call.scope ?? env.scope;
    if (scope?.length) params.set("scope", scope.join(" "));
    for (const r of call.resource ?? env.resource ?? []) params.append("resource", r);
    const tokens = await client.clientCredentialsGrant(await config(), params, await options());
    const expiresIn = tokens.expiresIn();
    return {
      accessToken: tokens.access_token,
      tokenType: tokens.token_type === "dpop" ? "DPoP" : "Bearer",
      expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
      scope: tokens.scope,
    };
  }

  return {
    getToken,
    async fetch(url, init = {}) {
      const token = await getToken();
      const body = (init.body ?? undefined) as client.FetchBody;
      const dpop = token.tokenType === "DPoP" ? await options() : {};
      return client.fetchProtectedResource(await config(), token.accessToken, new URL(url, env.baseUrl), init.method ?? "GET", body, new Headers(init.headers), dpop);
    },
    invalidate: async () => {},
    close: async () => {},
  };
}

async function classify(error: unknown): Promise<ErrorInfo> {
  const message = String((error as Error)?.message ?? error);
  const code = (error as { code?: string })?.code;
  const transport = transportCause(error);
  if (transport) return { kind: transport, message, code: code ?? (error as Error)?.name };
  if (error instanceof client.ResponseBodyError) return { kind: "oauth", status: error.status, error: error.error, message, code: error.name };
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const param = error.cause[0]?.parameters.error ?? (await errorCodeOf(error.response));
    return { kind: param ? "oauth" : "http", status: error.status, error: param, message, code: error.name };
  }
  if (error instanceof client.ClientError) {
    const cause = error.cause;
    const status = cause instanceof Response ? cause.status : undefined;
    switch (code) {
      case "OAUTH_HTTP_REQUEST_FORBIDDEN":
      case "OAUTH_REQUEST_PROTOCOL_FORBIDDEN":
        return { kind: "insecure", message, code };
      case "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED":
        return { kind: "discovery", message, code };
      case "OAUTH_TIMEOUT":
      case "OAUTH_ABORT":
        return { kind: "timeout", message, code };
      case "OAUTH_RESPONSE_IS_NOT_CONFORM":
        return { kind: status !== undefined && status >= 400 ? "http" : "invalid_response", status, message, code };
      case "OAUTH_UNSUPPORTED_OPERATION":
        return { kind: /token_type/.test(String((cause as Error)?.message)) ? "unsupported_token_type" : "other", message, code };
    }
    if (cause instanceof TypeError && /fetch failed|network|terminated/i.test(cause.message)) return { kind: "network", message, code: cause.name };
    return { kind: "invalid_response", status, message, code };
  }
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) return { kind: "timeout", message, code: error.name };
  if (error instanceof TypeError && /fetch failed|network|terminated/i.test(message)) return { kind: "network", message, code: error.name };
  if (error instanceof TypeError) return { kind: "config", message, code: code ?? error.name };
  return { kind: "other", message, code: (error as Error)?.name };
}

export const openidClientSubject: Subject = {
  name: "openid-client",
  capabilities: ["client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt", "discovery", "scope", "resource", "fake_timers", "fetch", "dpop", "timeout"],
  create,
  classify,
};

export default openidClientSubject;
