// @badgateway/oauth2-client v3, used as its README shows for the client credentials grant: an
// `OAuth2Client` (with `fetch: env.fetch`) and an `OAuth2Fetch` wrapper whose `getNewToken` calls
// `client.clientCredentials()`. The wrapper keeps one token (valid while `expiresAt > Date.now()`,
// one refresh at a time, one retry on 401). Resource requests go through the wrapper's documented
// middleware, `mw()`, with env.fetch as `next`: the wrapper's own `fetch()` calls the global
// fetch, not the client's. A per-call scope or resource is a plain `clientCredentials()` request
// (the wrapper holds a single token). The library reads the global Date (fake-timers mode), has
// no timeout, no invalidation and no token_type handling (every token is used as Bearer).
import { OAuth2Client, OAuth2Error, OAuth2Fetch, OAuth2HttpError } from "@badgateway/oauth2-client";
import type { OAuth2Token } from "@badgateway/oauth2-client";
import type { ErrorInfo, Subject, SubjectEnv, SubjectInstance, TokenResult } from "../types.ts";

type Method = "client_secret_basic" | "client_secret_post" | undefined;

/** `auto` leaves the choice to the library (from discovered metadata, else Basic). */
function method(env: SubjectEnv): Method {
  switch (env.auth.method) {
    case "client_secret_post":
      return "client_secret_post";
    case "client_secret_basic":
      return "client_secret_basic"; // the RFC 6749 §2.3.1 encoding (the default is an "interop" one)
    default:
      return undefined;
  }
}

/**
 * What the library's token says, nothing added: it has no token type (every token is used as
 * Bearer, so "Bearer" is what the library means) and a scope only when the server sent one.
 */
function tokenResult(t: OAuth2Token): TokenResult {
  return { accessToken: t.accessToken, tokenType: "Bearer", expiresAt: t.expiresAt ?? undefined, scope: t.scope?.join(" ") };
}

function create(env: SubjectEnv): SubjectInstance {
  const auth = env.auth;
  const authenticationMethod = method(env);
  const client = new OAuth2Client({
    clientId: env.clientId,
    ...(auth.method !== "none" && auth.method !== "private_key_jwt" ? { clientSecret: auth.clientSecret } : {}),
    ...(env.issuer !== undefined ? { server: env.issuer } : { tokenEndpoint: env.tokenEndpoint! }),
    ...(authenticationMethod ? { authenticationMethod } : {}),
    fetch: env.fetch,
  });
  const params = () => ({
    ...(env.scope?.length ? { scope: [...env.scope] } : {}),
    ...(env.resource?.length ? { resource: [...env.resource] } : {}),
  });
  const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials(params()) });
  const middleware = wrapper.mw();
  return {
    async getToken(call = {}) {
      if (call.scope !== undefined || call.resource !== undefined) {
        const scope = call.scope ?? env.scope;
        const resource = call.resource ?? env.resource;
        return tokenResult(await client.clientCredentials({ ...(scope?.length ? { scope: [...scope] } : {}), ...(resource?.length ? { resource: [...resource] } : {}) }));
      }
      return tokenResult(call.forceRefresh ? await wrapper.refreshToken() : await wrapper.getToken());
    },
    fetch: (url, init) => middleware(new Request(new URL(url, env.baseUrl), init), (request) => env.fetch(request)),
    invalidate: async () => {},
    close: async () => {},
  };
}

function classify(error: unknown): ErrorInfo {
  const message = String((error as Error)?.message ?? error);
  if (error instanceof OAuth2HttpError) {
    return error.oauth2Code ? { kind: "oauth", status: error.httpCode, error: error.oauth2Code, message, code: error.name } : { kind: "http", status: error.httpCode, message, code: error.name };
  }
  if (error instanceof OAuth2Error) return { kind: "oauth", error: error.oauth2Code, message, code: error.name };
  if (error instanceof SyntaxError) return { kind: "invalid_response", message, code: error.name };
  if (error instanceof TypeError && /invalid token response/.test(message)) return { kind: "invalid_response", message, code: error.name };
  if (error instanceof TypeError && /fetch failed|network|terminated/i.test(message)) return { kind: "network", message, code: error.name };
  if (/clientSecret must be provided|not yet supported/.test(message)) return { kind: "config", message, code: (error as Error).name };
  return { kind: "other", message, code: (error as Error)?.name };
}

export const badgatewaySubject: Subject = {
  name: "@badgateway/oauth2-client",
  capabilities: ["client_secret_post", "client_secret_basic", "auth_auto", "discovery", "scope", "resource", "fake_timers", "fetch"],
  create,
  classify,
};

export default badgatewaySubject;
