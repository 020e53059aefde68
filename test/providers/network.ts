// Loaded before a provider example in CI (node --import): sends the requests for the hosts in
// TOKENKEEPER_PROVIDER_HOSTS (the provider's, and the API's) to the runner's bridge on
// TOKENKEEPER_PROVIDER_NETWORK, a loopback origin, with the URL's own origin in a header, so that
// the provider fake (test/providers/examples.ts serves it) sees the URL the example called. The
// example reads exactly like production code; every other URL goes to the network untouched.
import { FAKE_ORIGIN_HEADER } from "./provider.ts";

const bridge = process.env["TOKENKEEPER_PROVIDER_NETWORK"];
const hosts = new Set((process.env["TOKENKEEPER_PROVIDER_HOSTS"] ?? "").split(",").filter(Boolean));
if (!bridge || hosts.size === 0) throw new Error("network.ts: TOKENKEEPER_PROVIDER_NETWORK and TOKENKEEPER_PROVIDER_HOSTS must be set (run the examples with examples/shared/run-all.ts)");
const networkFetch = globalThis.fetch;

async function providerFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (!hosts.has(url.host)) return networkFetch(input, init);
  const headers = new Headers(request.headers);
  headers.set(FAKE_ORIGIN_HEADER, url.origin);
  const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
  return networkFetch(new URL(url.pathname + url.search, bridge), { method: request.method, headers, body, redirect: request.redirect, signal: request.signal });
}

globalThis.fetch = providerFetch as typeof globalThis.fetch;
