// Okta's token endpoint and an API it protects, as Okta documents them (a profile of the one fake
// server, conformance/fake/server.ts):
// - URLs: a custom authorization server's issuer is https://{yourOktaDomain}/oauth2/{authServerId}
//   ("default" is the one every org has) and its token endpoint {issuer}/v1/token; the org
//   authorization server's is https://{yourOktaDomain}/oauth2/v1/token. Metadata is served at
//   {issuer}/.well-known/openid-configuration.
//   https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
// - Scope: "scope must be at least one custom scope that you create"; without one, and with no
//   default scope set on the authorization server, the answer is 400 invalid_scope "The
//   authorization server resource does not have any configured default scopes, 'scope' must be
//   provided." (the guide above; Okta's own post https://developer.okta.com/blog/2019/02/14/modern-token-authentication-in-node-with-express
//   quotes the response). A default scope is granted when none is asked for
//   (https://help.okta.com/en-us/Content/topics/security/api-config-scopes.htm); a scope the
//   authorization server does not define is invalid_scope too.
// - Client authentication: client_secret_basic unless the app is registered otherwise ("If you don't
//   specify a method when registering your client, the default method is client_secret_basic");
//   client_secret_post, client_secret_jwt and private_key_jwt as registered.
//   https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth
// - private_key_jwt: aud is "the full URL of the resource that you're trying to access", the token
//   endpoint; iss = sub = client_id; exp at most one hour ahead; a jti is single-use; RS256…ES512.
//   https://developer.okta.com/docs/guides/build-self-signed-jwt/main/
//   The app's public keys are a JWKS, each key with the Key ID (kid) the Admin Console shows, so
//   that keys can rotate (https://developer.okta.com/docs/guides/key-management/main/): the fake
//   finds the registered key by the assertion's kid, and refuses an assertion without it.
// - A token: { token_type: "Bearer", expires_in: 3600, access_token, scope } (the guide above).
import type { Reply } from "../../conformance/fake/reply.ts";
import { createFakeServer, type FakeServer, oauthError, type RecordedRequest } from "../../conformance/fake/server.ts";
import { decodeProtectedHeader, decodeJwt } from "jose";
import { API_ORIGIN, apiReply, issueAsProvider, requireScope, scopeList, tokenParameters } from "./provider.ts";

/** An Okta app integration's client credential. */
export type OktaClient =
  | { id: string; secret: string; method?: "client_secret_basic" | "client_secret_post" }
  | { id: string; publicKey: CryptoKey; kid: string; alg?: string };

/** Options of {@link createOktaFake}. */
export interface OktaFakeOptions {
  /** @default "your-org.okta.com" */
  domain?: string;
  /** A custom authorization server's id, or "org" for the org authorization server. @default "default" */
  authorizationServer?: string;
  client: OktaClient;
  /** The custom scopes the authorization server defines. @default ["reports.read"] */
  scopes?: readonly string[];
  /** Scopes granted to a request that names none. @default none: scope is required */
  defaultScopes?: readonly string[];
  /** The scope the API requires. @default the first of `scopes` */
  apiScope?: string;
}

const FORM = "application/x-www-form-urlencoded";

/** An Okta org: one authorization server, one app integration, the API at {@link API_ORIGIN}. */
export function createOktaFake(options: OktaFakeOptions): FakeServer {
  const domain = options.domain ?? "your-org.okta.com";
  const as = options.authorizationServer ?? "default";
  const issuer = as === "org" ? `https://${domain}` : `https://${domain}/oauth2/${as}`;
  const tokenEndpoint = as === "org" ? `https://${domain}/oauth2/v1/token` : `${issuer}/v1/token`;
  const scopes = options.scopes ?? ["reports.read"];
  const apiScope = options.apiScope ?? scopes[0]!;
  const client = options.client;
  const jwt = "publicKey" in client;

  function tokenRequest(req: RecordedRequest, server: FakeServer): Promise<Reply> | Reply {
    if (req.method !== "POST" || req.mediaType !== FORM) return oauthError(400, "invalid_request", "The token request must be a POST with a form body.");
    const form = tokenParameters(req);
    const assertion = form.get("client_assertion");
    if (jwt && assertion !== null) {
      const refused = checkAssertion(assertion, server.clock.now());
      if (refused) return refused;
    }
    const requested = scopeList(form.get("scope"));
    if (requested.length === 0 && !options.defaultScopes?.length) {
      return oauthError(400, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    }
    if (requested.some((s) => !scopes.includes(s))) return oauthError(400, "invalid_scope", "One or more scopes are not configured for the authorization server resource.");
    const granted = requested.length ? requested : [...options.defaultScopes!];
    return issueAsProvider(server, req, {
      granted: { scope: granted.join(" ") },
      answer: (token, lifetimeS) => ({ token_type: "Bearer", expires_in: lifetimeS, access_token: token.value, scope: token.scope }),
      refused: (_error, _status, reply) => reply,
    });
  }

  function checkAssertion(assertion: string, now: number): Reply | undefined {
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
      claims = decodeJwt(assertion) as Record<string, unknown>;
    } catch {
      return oauthError(401, "invalid_client", "The client_assertion is not a JWT.");
    }
    if (!jwt || header.kid !== client.kid) return oauthError(401, "invalid_client", "No public key of the client has the kid of the client_assertion.");
    if (claims.aud !== tokenEndpoint) return oauthError(401, "invalid_client", "The audience of the client_assertion is not the token endpoint.");
    if (typeof claims.exp !== "number" || claims.exp > now / 1000 + 3600) return oauthError(401, "invalid_client", "The client_assertion expires more than one hour from now.");
    return undefined;
  }

  return createFakeServer({
    issuer,
    tokenEndpoint,
    metadataAt: ["oidc"],
    metadata: { token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"] },
    client: jwt
      ? { id: client.id, methods: ["private_key_jwt"], publicKey: client.publicKey, alg: client.alg ?? "RS256" }
      : { id: client.id, secret: client.secret, methods: [client.method ?? "client_secret_basic"] },
    expiresIn: 3600,
    resourceOrigins: [API_ORIGIN],
    token: tokenRequest,
    resource: (req, server) => apiReply(server, req, requireScope(apiScope)),
  });
}
