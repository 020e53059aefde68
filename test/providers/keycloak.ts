// Keycloak's token endpoint, its metadata and an API it protects, as Keycloak documents and
// implements them (a profile of the one fake server, conformance/fake/server.ts):
// - URLs: the issuer is a realm, https://{host}/realms/{realm} (https://{host}/auth/realms/{realm}
//   up to Keycloak 16, or behind KC_HTTP_RELATIVE_PATH); the token endpoint is
//   {issuer}/protocol/openid-connect/token, and OpenID Connect metadata is
//   {issuer}/.well-known/openid-configuration (appended to the issuer's path).
//   https://www.keycloak.org/securing-apps/oidc-layers#_oidc-available-endpoints
// - RFC 8414 metadata: every Keycloak serves {issuer}/.well-known/oauth-authorization-server
//   (appended, not where RFC 8414 §3.1 puts it: OAuth2WellKnownProviderFactory); current releases
//   also serve the RFC 8414 form, /.well-known/oauth-authorization-server/realms/{realm} at the
//   server's root (ServerMetadataResource, for providers isAvailableViaServerMetadata).
//   (keycloak/keycloak: org.keycloak.protocol.oauth2.OAuth2WellKnownProviderFactory, and
//   ServerMetadataResource's path "{provider}/realms/{realm}" under /.well-known)
//   With `rfc8414: false` the fake is a release without the root form, where a client must fall
//   back to OpenID Connect discovery.
// - Client authentication: a confidential client's "Client Id and Secret" authenticator takes the
//   secret as client_secret_basic or client_secret_post; "Signed JWT" is private_key_jwt. A wrong
//   secret is 401 {"error":"unauthorized_client","error_description":"Invalid client or Invalid
//   client credentials"}, an unknown client 401 invalid_client with the same description
//   (ClientIdAndSecretAuthenticator).
//   https://www.keycloak.org/docs/latest/server_admin/#_client-credentials
//   https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/authentication/authenticators/client/ClientIdAndSecretAuthenticator.java
// - Scope: optional; the client's default client scopes are always granted, an optional client
//   scope when asked for, and anything else is 400 invalid_scope.
//   https://www.keycloak.org/docs/latest/server_admin/#_client_scopes
// - A token (the service account's): { access_token, expires_in: 300 (the realm's default Access
//   Token Lifespan, 5 minutes), refresh_expires_in: 0, token_type: "Bearer", "not-before-policy":
//   0, scope }, with no refresh token for the client credentials grant since Keycloak 12.
//   https://www.keycloak.org/docs/latest/server_admin/#_service_accounts
import type { Reply } from "../../conformance/fake/reply.ts";
import { createFakeServer, type FakeServer, oauthError, type RecordedRequest } from "../../conformance/fake/server.ts";
import { API_ORIGIN, apiReply, issueAsProvider, providerJson, requireScope, scopeList, tokenParameters } from "./provider.ts";

/** Options of {@link createKeycloakFake}. */
export interface KeycloakFakeOptions {
  /** Scheme, host and port. @default "https://keycloak.example.com" */
  origin?: string;
  /** "/auth" as Keycloak 16 and earlier. @default "" */
  relativePath?: string;
  /** @default "demo" */
  realm?: string;
  /** Whether the server's root serves RFC 8414 metadata (current releases). @default true */
  rfc8414?: boolean;
  client: { id: string; secret: string } | { id: string; publicKey: CryptoKey; alg?: string };
  /** The client's default client scopes, always granted. @default ["profile", "email"] */
  defaultScopes?: readonly string[];
  /** The client's optional client scopes, granted when asked for. @default ["reports:read"] */
  optionalScopes?: readonly string[];
  /** The scope the API requires. @default none */
  apiScope?: string;
}

/** A Keycloak server with one realm and one confidential client with a service account. */
export function createKeycloakFake(options: KeycloakFakeOptions): FakeServer {
  const origin = options.origin ?? "https://keycloak.example.com";
  const realm = options.realm ?? "demo";
  const issuer = `${origin}${options.relativePath ?? ""}/realms/${realm}`;
  const tokenEndpoint = `${issuer}/protocol/openid-connect/token`;
  const defaultScopes = options.defaultScopes ?? ["profile", "email"];
  const optionalScopes = options.optionalScopes ?? ["reports:read"];
  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
    token_endpoint: tokenEndpoint,
    jwks_uri: `${issuer}/protocol/openid-connect/certs`,
    grant_types_supported: ["authorization_code", "implicit", "refresh_token", "password", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"],
    token_endpoint_auth_methods_supported: ["private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"],
  };
  const invalidCredentials = (error: string): Reply => providerJson({ error, error_description: "Invalid client or Invalid client credentials" }, 401);

  function tokenRequest(req: RecordedRequest, server: FakeServer): Promise<Reply> | Reply {
    const params = tokenParameters(req);
    const clientId = params.get("client_id") ?? (req.basic?.ok ? req.basic.clientId : undefined);
    if (clientId !== undefined && clientId !== options.client.id) return invalidCredentials("invalid_client");
    const requested = scopeList(params.get("scope"));
    const unknown = requested.filter((s) => !defaultScopes.includes(s) && !optionalScopes.includes(s) && s !== "openid");
    if (unknown.length) return oauthError(400, "invalid_scope", `Invalid scopes: ${requested.join(" ")}`);
    const granted = [...new Set([...requested.filter((s) => s !== "openid"), ...defaultScopes])];
    return issueAsProvider(server, req, {
      granted: { scope: granted.join(" ") },
      answer: (token, lifetimeS) => ({
        access_token: token.value,
        expires_in: lifetimeS,
        refresh_expires_in: 0,
        token_type: "Bearer",
        "not-before-policy": 0,
        scope: token.scope,
      }),
      refused: (error, _status, reply) => (error === "invalid_client" ? invalidCredentials("unauthorized_client") : reply),
    });
  }

  // Every release serves RFC 8414 metadata appended to the realm's path, too.
  const appended = `${new URL(issuer).pathname}/.well-known/oauth-authorization-server`;
  const client = options.client;
  return createFakeServer({
    issuer,
    tokenEndpoint,
    metadata,
    metadataAt: options.rfc8414 === false ? ["oidc"] : ["rfc8414", "oidc"],
    client: "publicKey" in client
      ? { id: client.id, methods: ["private_key_jwt"], publicKey: client.publicKey, alg: client.alg ?? "RS256" }
      : { id: client.id, secret: client.secret, methods: ["client_secret_basic", "client_secret_post"] },
    expiresIn: 300,
    resourceOrigins: [API_ORIGIN],
    origins: { [origin]: (req) => (req.method === "GET" && req.path === appended ? { json: metadata } : { status: 404, body: "" }) },
    token: tokenRequest,
    resource: (req, server) => apiReply(server, req, options.apiScope === undefined ? undefined : requireScope(options.apiScope)),
  });
}
