// Auth0's token endpoint and an API it protects, as Auth0 documents them (a profile of the one fake
// server, conformance/fake/server.ts):
// - URL: POST https://{yourDomain}/oauth/token, the tenant's domain being {tenant}.auth0.com or
//   {tenant}.{region}.auth0.com; the issuer is https://{yourDomain}/ (with its trailing slash).
// - Parameters: grant_type=client_credentials, client_id, client_secret, and audience, "the
//   audience for the token, which is your API" (its Identifier); sent as a form in Auth0's own
//   example, and the Authentication API takes a JSON body too.
//   https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow/call-your-api-using-the-client-credentials-flow
//   https://auth0.com/docs/api/authentication/client-credential-flow/get-token
// - Client authentication: the app's "Token Endpoint Authentication Method"; Post (client_secret
//   in the body) for a machine-to-machine app, Basic when set so.
//   https://auth0.com/docs/get-started/applications/application-credentials
//   A secret the app does not accept, or one sent the other way, is 401
//   {"error":"access_denied","error_description":"Unauthorized"} (as maintainers answer in
//   auth0/node-auth0#682 and auth0/auth0-spa-js#454).
// - Audience: without one and without a tenant Default Audience, 403 access_denied "No audience
//   parameter was provided, and no default audience has been configured"; an identifier that is
//   no API of the tenant, 403 access_denied "Service not enabled within domain: …".
//   https://auth0.com/docs/get-started/tenant-settings#api-authorization-settings
// - Scope: the token carries the permissions the client grant gives the app for that API
//   (https://auth0.com/docs/get-started/applications/application-access-to-apis-client-grants);
//   with a scope asked for, the fake grants those of them the client grant has.
// - A token: { access_token, scope, expires_in: 86400, token_type: "Bearer" } (the first page).
// - Each token issued to an external API counts against the tenant's monthly M2M token quota, so
//   tokens are to be cached and reused: https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens
//   and https://auth0.com/docs/fine-grained-m2m-token-quotas (quotas per app and hour, Early Access).
import type { Reply } from "../../conformance/fake/reply.ts";
import { createFakeServer, type FakeServer, type RecordedRequest } from "../../conformance/fake/server.ts";
import { API_ORIGIN, apiReply, issueAsProvider, providerJson, scopeList, tokenParameters } from "./provider.ts";

/** An API registered in the tenant, and what the client grant gives the app for it. */
export interface Auth0Api {
  /** The API's Identifier, the `audience` of its tokens. */
  identifier: string;
  /** The permissions the client grant gives the app. */
  granted: readonly string[];
}

/** Options of {@link createAuth0Fake}. */
export interface Auth0FakeOptions {
  /** @default "your-tenant.auth0.com" */
  domain?: string;
  client: { id: string; secret: string; method?: "client_secret_post" | "client_secret_basic" };
  /** @default one API, {@link API_ORIGIN}, granted "read:reports" */
  apis?: readonly Auth0Api[];
  /** The tenant's Default Audience. @default none */
  defaultAudience?: string;
}

/** An Auth0 tenant: one machine-to-machine app, its APIs; the first API served at {@link API_ORIGIN}. */
export function createAuth0Fake(options: Auth0FakeOptions): FakeServer {
  const domain = options.domain ?? "your-tenant.auth0.com";
  const apis = options.apis ?? [{ identifier: API_ORIGIN, granted: ["read:reports"] }];
  const denied = (description: string, status = 403): Reply => providerJson({ error: "access_denied", error_description: description }, status);

  function tokenRequest(req: RecordedRequest, server: FakeServer): Promise<Reply> | Reply {
    if (req.method !== "POST" || !["application/x-www-form-urlencoded", "application/json"].includes(req.mediaType)) {
      return providerJson({ error: "invalid_request", error_description: "Send a form or a JSON body" }, 400);
    }
    const params = tokenParameters(req);
    const audience = params.get("audience") ?? options.defaultAudience;
    if (audience === undefined) return denied("No audience parameter was provided, and no default audience has been configured");
    const api = apis.find((a) => a.identifier === audience);
    if (api === undefined) return denied(`Service not enabled within domain: ${audience}`);
    const requested = scopeList(params.get("scope"));
    const granted = requested.length ? api.granted.filter((s) => requested.includes(s)) : api.granted;
    return issueAsProvider(server, req, {
      granted: { scope: granted.join(" "), audience },
      answer: (token, lifetimeS) => ({ access_token: token.value, scope: token.scope, expires_in: lifetimeS, token_type: "Bearer" }),
      refused: (error, status, reply) => (error === "invalid_client" ? denied("Unauthorized", 401) : reply),
    });
  }

  return createFakeServer({
    issuer: `https://${domain}/`,
    tokenEndpoint: `https://${domain}/oauth/token`,
    metadataAt: ["oidc"],
    client: { id: options.client.id, secret: options.client.secret, methods: [options.client.method ?? "client_secret_post"] },
    expiresIn: 86_400,
    resourceOrigins: [API_ORIGIN],
    token: tokenRequest,
    // The API accepts only tokens issued for its own identifier (the first API's).
    resource: (req, server) =>
      apiReply(server, req, (token) =>
        token.resource[0] === apis[0]!.identifier ? undefined : { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token", error_description="audience"' }, body: "" }),
  });
}
