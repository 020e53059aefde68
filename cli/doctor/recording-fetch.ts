// The doctor's view of the wire: a fetch that remembers each response's status, headers, arrival
// time and body, while tokenkeeper reads the original.
import type { FetchLike } from "../../mod.ts";

/** One response as it arrived. */
export interface RecordedResponse {
  /** The request's method. */
  readonly method: string;
  /** The request's URL. */
  readonly url: string;
  /** The response's status. */
  readonly status: number;
  /** The response's headers. */
  readonly headers: Headers;
  /** When the headers arrived, by this machine's clock (ms since the epoch). */
  readonly receivedAt: number;
  /** Time from sending to the headers, in ms. */
  readonly elapsedMs: number;
  /** The body's text (empty when it cannot be read). Await it only once the request is done. */
  readonly body: Promise<string>;
}

/**
 * Wraps a fetch so that every response is recorded.
 *
 * @param base The fetch that sends.
 * @returns The recording fetch and its records, oldest first.
 */
export function recordingFetch(base: FetchLike): { fetch: FetchLike; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const fetch: FetchLike = async (input, init) => {
    const started = performance.now();
    const response = await base(input, init);
    const body = response.clone().text().catch(() => "");
    responses.push({
      method: init?.method ?? (input instanceof Request ? input.method : "GET"),
      url: input instanceof Request ? input.url : String(input),
      status: response.status,
      headers: response.headers,
      receivedAt: Date.now(),
      elapsedMs: Math.round(performance.now() - started),
      body,
    });
    return response;
  };
  return { fetch, responses };
}
