// Loaded before an example in CI (`node --import`, `deno run --preload`, `bun --preload`): sends
// requests for the example hosts (auth.example.com, api.example.com, …: see fake-hosts.ts) to the
// fake token server and API that the runner serves on TOKENKEEPER_FAKE_NETWORK (a loopback
// origin; for an identity provider's example, the bridge to its provider's fakes, providers.ts),
// so that the examples read exactly like production code. Every other URL goes to the network
// untouched. Only the global `fetch` is rerouted: a client with its own transport (axios's
// Node adapter) is pointed at `fetch` by its example.
import { FAKE_HOST_HEADER, isFakeHost } from "./fake-hosts.ts";

const origin = process.env["TOKENKEEPER_FAKE_NETWORK"];
if (!origin) throw new Error("fake-network.ts: TOKENKEEPER_FAKE_NETWORK is not set (run the examples with examples/shared/run-all.ts)");
const networkFetch = globalThis.fetch;

async function fakeNetworkFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  if (!isFakeHost(url)) return networkFetch(input, init);
  const target = new URL(url.pathname + url.search, origin);
  // The host asked for, for a server that fakes several (the identity providers' fakes).
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set(FAKE_HOST_HEADER, url.host);
  if (!(input instanceof Request)) return networkFetch(target, { ...init, headers });
  const { method, redirect, signal } = input;
  const body = method === "GET" || method === "HEAD" ? null : await input.arrayBuffer();
  return networkFetch(target, { method, body, redirect, signal, ...init, headers });
}

globalThis.fetch = fakeNetworkFetch as typeof globalThis.fetch;
