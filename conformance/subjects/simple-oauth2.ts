// simple-oauth2 v5 (Node only), used as its README shows: `new ClientCredentials(config)`,
// `client.getToken(params)`, and the token kept until `accessToken.expired()` says so (the
// library's helper, with its default window of 0 s). It takes no fetch: its HTTP client
// (@hapi/wreck over node:http/https) is given agents that bridge every request to env.fetch (see
// node/bridge.ts), so transport behaviour (TLS, resets) is env.fetch's, as for every fetch-taking
// subject; redirects and timeouts stay the library's. simple-oauth2 has no resource-request
// helper, no discovery, no private_key_jwt and no single flight; it reads the global Date
// (fake-timers mode).
import simpleOauth2 from "simple-oauth2";
import { bridgeToFetch } from "../node/bridge.ts";
import type { ErrorInfo, Subject, SubjectEnv, SubjectInstance, TokenResult } from "../types.ts";

type AccessToken = simpleOauth2.AccessToken;

function tokenResult(t: AccessToken): TokenResult {
  const token = t.token as { access_token?: unknown; token_type?: unknown; expires_at?: unknown; scope?: unknown };
  const expiresAt = token.expires_at instanceof Date ? token.expires_at.getTime() : undefined;
  return {
    accessToken: token.access_token as string,
    // What the server sent, nothing filled in: simple-oauth2 keeps the response as it came.
    tokenType: typeof token.token_type === "string" ? token.token_type : "",
    expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined,
    scope: typeof token.scope === "string" ? token.scope : undefined,
  };
}

async function create(env: SubjectEnv): Promise<SubjectInstance> {
  const a = env.auth;
  if (a.method === "private_key_jwt") throw new TypeError("simple-oauth2 has no private_key_jwt");
  const endpoint = new URL(env.tokenEndpoint!);
  const bridge = await bridgeToFetch(env.fetch);
  let client: simpleOauth2.ClientCredentials;
  try {
    // `agents` is @hapi/wreck's per-client option (its types list only `agent`); `secret` may be
    // left out at run time (auth "none"), which the types do not allow.
    const http = { agents: bridge.agents, ...(env.timeoutMs !== undefined ? { timeout: env.timeoutMs } : {}) } as simpleOauth2.ModuleOptions["http"];
    const credentials = { id: env.clientId, ...(a.method === "none" ? {} : { secret: a.clientSecret }) } as simpleOauth2.ModuleOptions["client"];
    client = new simpleOauth2.ClientCredentials({
      client: credentials,
      auth: { tokenHost: endpoint.origin, tokenPath: `${endpoint.pathname}${endpoint.search}` },
      options: { authorizationMethod: a.method === "client_secret_basic" ? "header" : "body" },
      http,
    });
  } catch (error) {
    await bridge.close();
    throw error;
  }
  const params = (scope: readonly string[] | undefined, resource: readonly string[] | undefined) => ({
    ...(scope?.length ? { scope: [...scope] } : {}),
    ...(resource?.length ? { resource: [...resource] } : {}),
  });
  let kept: AccessToken | undefined;
  return {
    async getToken(call = {}) {
      if (call.scope !== undefined || call.resource !== undefined) {
        const scope = call.scope ?? env.scope;
        return tokenResult(await client.getToken(params(scope, call.resource ?? env.resource)));
      }
      if (kept === undefined || kept.expired() || call.forceRefresh) kept = await client.getToken(params(env.scope, env.resource));
      return tokenResult(kept);
    },
    fetch: () => Promise.reject(new TypeError("simple-oauth2 has no resource-request helper")),
    invalidate: async () => {},
    close: () => bridge.close(),
  };
}

interface Boom {
  isBoom: true;
  message: string;
  output: { statusCode: number };
  data?: { res?: { statusCode?: number }; payload?: unknown } | null;
}

function classify(error: unknown): ErrorInfo {
  const message = String((error as Error)?.message ?? error);
  if ((error as Boom)?.isBoom) {
    const boom = error as Boom;
    const status = boom.data?.res?.statusCode;
    const payload = boom.data?.payload as { error?: unknown } | null | undefined;
    if (status !== undefined && status >= 400 && typeof payload?.error === "string") return { kind: "oauth", status, error: payload.error, message, code: "Boom" };
    if (/timeout|time-out/i.test(message)) return { kind: "timeout", message, code: "Boom" };
    if (/Client request error|Payload stream/.test(message)) return { kind: "network", message, code: "Boom" };
    if (status !== undefined && status >= 400) return { kind: "http", status, message, code: "Boom" };
    return { kind: "invalid_response", status, message, code: "Boom" };
  }
  if ((error as Error)?.name === "ValidationError") return { kind: "config", message, code: "ValidationError" };
  if (error instanceof TypeError && /private_key_jwt/.test(message)) return { kind: "config", message, code: error.name };
  if (/Cannot create access token/.test(message)) return { kind: "invalid_response", message, code: (error as Error).name };
  return { kind: "other", message, code: (error as Error)?.name };
}

export const simpleOauth2Subject: Subject = {
  name: "simple-oauth2",
  capabilities: ["client_secret_post", "client_secret_basic", "scope", "resource", "fake_timers", "timeout"],
  create,
  classify,
};

export default simpleOauth2Subject;
