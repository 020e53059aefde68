// The hosts the examples talk to. In CI these reach the fake token server and API
// (examples/shared/fake-api.ts) instead of the network: examples/shared/fake-network.ts reroutes
// them for Node, Deno and Bun, and the runner's Miniflare outbound service does it for workerd.

/** Hosts answered by the fake; any other host goes to the network. */
export const FAKE_HOSTS: ReadonlySet<string> = new Set([
  "auth.example.com", // a generic authorization server: POST /oauth2/token
  "api.example.com", // the API: /v2/*
  "your-tenant.eu.auth0.com", // an Auth0-style tenant: POST /oauth/token, needs an audience
  "api.cardlytics.com", // the seed API: POST /api/v1/idp/oauth2/token and /v2/*
]);

/** Whether `url` is one of the {@link FAKE_HOSTS}. */
export function isFakeHost(url: string | URL): boolean {
  return FAKE_HOSTS.has(new URL(url).hostname);
}
