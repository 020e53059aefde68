// Keycloak: a confidential client with "Service accounts roles" on, in realm "demo". The issuer is
// the realm's URL, a path: discover() finds the metadata where Keycloak serves it (RFC 8414's
// /.well-known/oauth-authorization-server/realms/demo on current releases, else OpenID Connect's
// /realms/demo/.well-known/openid-configuration) and takes the token endpoint from it. Keycloak
// takes the secret in the form or as Basic; a wrong one is 401 unauthorized_client.
//   https://www.keycloak.org/securing-apps/oidc-layers#_oidc-available-endpoints
//   https://www.keycloak.org/docs/latest/server_admin/#_service_accounts
// Keycloak in docker compose on plain http needs dangerouslyAllowHttp: ["keycloak:8080"] (never
// in production). More: docs/providers.md.
import { createTokenKeeper, discover } from "tokenkeeper";

const keycloak = createTokenKeeper({
  tokenEndpoint: discover("https://keycloak.example.com/realms/demo"),
  clientId: process.env.KEYCLOAK_CLIENT_ID!,
  clientSecret: process.env.KEYCLOAK_CLIENT_SECRET!,
  scope: "reports:read", // an optional client scope; the default client scopes come anyway
  baseUrl: "https://api.example.com",
});

const res = await keycloak.fetch("/v2/reports");
console.log(await res.json());
