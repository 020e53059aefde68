// Amazon Cognito's token endpoint and an API it protects, as AWS documents them (a profile of the
// one fake server, conformance/fake/server.ts):
// - URL: POST https://{domain}.auth.{region}.amazoncognito.com/oauth2/token (or the user pool's
//   custom domain); "Content-Type: Must always be 'application/x-www-form-urlencoded'". The
//   issuer is another host, https://cognito-idp.{region}.amazonaws.com/{userPoolId}, whose
//   /.well-known/openid-configuration names the token endpoint.
//   https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
//   (the page's older text: https://github.com/awsdocs/amazon-cognito-developer-guide/blob/master/doc_source/token-endpoint.md)
// - Client authentication: "If the client was issued a secret, the client must pass its client_id
//   and client_secret in the authorization header through Basic HTTP authorization"; the client
//   credentials grant needs an app client with a secret (the same page, and
//   https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html).
// - Scope: custom scopes only, each "resourceServerIdentifier/scopeName"; "If the client doesn't
//   request any scopes, the authentication server uses all custom scopes associated with the
//   client"; "If a client requests a disallowed scope at runtime, an error is returned and an
//   access token isn't issued" (the two pages above).
// - Errors: 400 with `Content-Type: application/json;charset=UTF-8` and an `error` member only,
//   invalid_request, invalid_client ("Client authentication failed"), invalid_grant,
//   unauthorized_client, unsupported_grant_type: a failed Basic authentication is 400, not the
//   401 of RFC 6749 §5.2 (the token endpoint page).
// - A token: { access_token, expires_in: 3600, token_type: "Bearer" }, no scope member.
// - Caching: "use Amazon Cognito tokens for about 75% of the token lifetime", as requests for
//   tokens are rate-limited:
//   https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-caching-tokens.html
import type { Reply } from "../../conformance/fake/reply.ts";
import { createFakeServer, type FakeServer, type RecordedRequest } from "../../conformance/fake/server.ts";
import { API_ORIGIN, apiReply, issueAsProvider, providerJson, requireScope, scopeList } from "./provider.ts";

/** Options of {@link createCognitoFake}. */
export interface CognitoFakeOptions {
  /** The user pool's domain prefix. @default "your-domain" */
  domain?: string;
  /** @default "us-east-1" */
  region?: string;
  /** @default "us-east-1_Example" */
  userPoolId?: string;
  client: { id: string; secret: string };
  /** The custom scopes the app client is allowed. @default ["reports/read"] */
  scopes?: readonly string[];
  /** The scope the API requires. @default the first of `scopes` */
  apiScope?: string;
}

/** A user pool with a domain, one app client with a secret, and a resource server's API. */
export function createCognitoFake(options: CognitoFakeOptions): FakeServer {
  const region = options.region ?? "us-east-1";
  const tokenEndpoint = `https://${options.domain ?? "your-domain"}.auth.${region}.amazoncognito.com/oauth2/token`;
  const scopes = options.scopes ?? ["reports/read"];
  const error = (code: string): Reply => providerJson({ error: code }, 400);

  function tokenRequest(req: RecordedRequest, server: FakeServer): Promise<Reply> | Reply {
    if (req.method !== "POST" || req.mediaType !== "application/x-www-form-urlencoded") return error("invalid_request");
    const requested = scopeList(req.form.get("scope"));
    if (requested.some((s) => !scopes.includes(s))) return error("invalid_scope");
    return issueAsProvider(server, req, {
      granted: { scope: (requested.length ? requested : scopes).join(" ") },
      answer: (token, lifetimeS) => ({ access_token: token.value, expires_in: lifetimeS, token_type: "Bearer" }),
      refused: (code) => error(code),
    });
  }

  return createFakeServer({
    issuer: `https://cognito-idp.${region}.amazonaws.com/${options.userPoolId ?? "us-east-1_Example"}`,
    tokenEndpoint,
    metadataAt: ["oidc"],
    metadata: { token_endpoint_auth_methods_supported: ["client_secret_basic"] },
    client: { id: options.client.id, secret: options.client.secret, methods: ["client_secret_basic"] },
    expiresIn: 3600,
    resourceOrigins: [API_ORIGIN],
    token: tokenRequest,
    resource: (req, server) => apiReply(server, req, requireScope(options.apiScope ?? scopes[0]!)),
  });
}
