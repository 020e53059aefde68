// Did the subject use the transport it was handed? Counts requests through `env.fetch`, and
// notices requests to the fake hosts that went to the global `fetch` instead. Runtime-neutral.
import type { FetchLike } from "./types.ts";

/** What a run's subject did with the transport. */
export interface TransportReport {
  /** Requests that went through the fetch the harness handed over (`env.fetch`). */
  fetchCalls: number;
  /**
   * Requests to the fake hosts (`*.test`) made with the global `fetch` instead of `env.fetch`
   * (method and URL, at most 20). Such a request can never reach the fake servers.
   */
  bypassed: string[];
}

/** Wraps `fetch` so that every call is counted by `onCall` first. */
export function countingFetch(fetch: FetchLike, onCall: () => void): FetchLike {
  return (input, init) => {
    onCall();
    return fetch(input, init);
  };
}

/** `*.test` (RFC 6761) hosts are the fake servers' and never resolve on a network. */
function fakeHostRequest(input: string | URL | Request, init?: RequestInit): string | undefined {
  try {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    if (!url.hostname.endsWith(".test")) return undefined;
    return `${init?.method ?? request?.method ?? "GET"} ${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

type Listener = (request: string) => void;
const listeners = new Set<Listener>();
let realFetch: typeof globalThis.fetch | undefined;

/**
 * Watches the global `fetch` for requests to the fake hosts until `stop()`. Requests still go
 * to the real `fetch` (where they fail as unknown hosts). Several watches may overlap (each sees
 * every request); the global `fetch` is restored when the last one stops.
 *
 * @returns The requests seen so far (live) and `stop()`.
 */
export function watchGlobalFetch(): { bypassed: string[]; stop(): void } {
  const bypassed: string[] = [];
  const listener: Listener = (request) => {
    if (bypassed.length < 20 && !bypassed.includes(request)) bypassed.push(request);
  };
  if (listeners.size === 0) {
    const original = globalThis.fetch;
    realFetch = original;
    const watching = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const request = fakeHostRequest(input, init);
      if (request !== undefined) for (const l of listeners) l(request);
      return original(input, init);
    };
    globalThis.fetch = watching as typeof globalThis.fetch;
  }
  listeners.add(listener);
  let stopped = false;
  return {
    bypassed,
    stop() {
      if (stopped) return;
      stopped = true;
      listeners.delete(listener);
      if (listeners.size === 0 && realFetch) {
        globalThis.fetch = realFetch;
        realFetch = undefined;
      }
    },
  };
}

/**
 * Why a run's grades mean nothing, or `undefined` when the subject used its transport: nothing
 * reached `env.fetch` although scenarios ran, or requests to the fake hosts went around it.
 *
 * @param ran Scenarios that ran (not `n/a`).
 */
export function transportProblem(transport: TransportReport, ran: number): string | undefined {
  if (ran > 0 && transport.fetchCalls === 0) {
    return (
      `nothing reached the fetch the harness handed over (env.fetch): ${ran} scenarios ran and not one request arrived at the fake servers. ` +
      "The adapter must give env.fetch to the library as its transport (a fetch option, a custom-fetch hook, or a bridge from the library's HTTP client); " +
      "a library that talks to the network itself cannot reach https://as.test." +
      (transport.bypassed.length ? ` Requests went to the global fetch instead: ${transport.bypassed.slice(0, 3).join(", ")}.` : "")
    );
  }
  if (transport.bypassed.length) {
    return (
      `requests to the fake hosts went to the global fetch instead of env.fetch (${transport.bypassed.slice(0, 3).join(", ")}${transport.bypassed.length > 3 ? ", …" : ""}): ` +
      "the adapter must route every request the library makes, resource requests included, through env.fetch; the scenarios involved graded a failed DNS lookup, not the library."
    );
  }
  return undefined;
}
