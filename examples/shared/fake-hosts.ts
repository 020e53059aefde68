// The hosts the examples talk to. In CI these reach the fake token server and API
// (examples/shared/fake-api.ts) instead of the network: examples/shared/fake-network.ts reroutes
// them for Node, Deno and Bun, and the runner's Miniflare outbound service does it for workerd.

/** Hosts answered by the fake; any other host goes to the network. */
export const FAKE_HOSTS: ReadonlySet<string> = new Set([
  "auth.example.com", // a generic authorization server: POST /oauth2/token
  "api.example.com", // the API: /v2/*
  "your-tenant.eu.auth0.com", // an Auth0-style tenant: POST /oauth/token, needs an audience
  "api.cardlytics.com", // the seed API: POST /api/v1/idp/oauth2/token and /v2/*
  // Identity providers: their fakes (test/providers/) are served by examples/shared/providers.ts,
  // with api.example.com as the API they protect.
  "login.microsoftonline.com", // Microsoft Entra ID: POST /{tenant}/oauth2/v2.0/token
  "graph.microsoft.com", // Microsoft Graph: /v1.0/*
  "pipelines.actions.githubusercontent.com", // GitHub Actions' OIDC token endpoint
  "oauth2.googleapis.com", // Google: POST /token (the JWT bearer grant)
  "storage.googleapis.com", // Cloud Storage: /storage/v1/*
  "your-org.okta.com", // Okta: POST /oauth2/default/v1/token
  "your-tenant.auth0.com", // Auth0: POST /oauth/token
  "keycloak.example.com", // Keycloak: metadata, POST /realms/demo/protocol/openid-connect/token
  "your-domain.auth.us-east-1.amazoncognito.com", // Amazon Cognito: POST /oauth2/token
]);

/** The header in which fake-network.ts names the host asked for, for a server that fakes several. */
export const FAKE_HOST_HEADER = "x-tokenkeeper-fake-host";

/** Whether `url` is one of the {@link FAKE_HOSTS}. */
export function isFakeHost(url: string | URL): boolean {
  return FAKE_HOSTS.has(new URL(url).hostname);
}
