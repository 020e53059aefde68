// The doctor's view of the wire: a fetch that remembers each response's status, headers, arrival
// time and the start of its body. It reads the body itself, at most what tokenkeeper reads
// (bounded-read.ts), and hands tokenkeeper those bytes: a body over the cap reaches tokenkeeper
// one byte too long, so tokenkeeper refuses it with its own error, and the rest is never read.
import type { FetchLike } from "../../mod.ts";
import { readAtMost, utf8 } from "./bounded-read.ts";

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
  /** The body's text, at most the cap (see {@link RecordedResponse.overLimit}). */
  readonly body: string;
  /** Whether the body was longer than the cap; the rest was not read. */
  readonly overLimit: boolean;
}

/**
 * Wraps a fetch so that every response is recorded, its body read up to the cap.
 *
 * @param base The fetch that sends.
 * @returns The recording fetch and its records, oldest first.
 */
export function recordingFetch(base: FetchLike): { fetch: FetchLike; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const fetch: FetchLike = async (input, init) => {
    const started = performance.now();
    const response = await base(input, init);
    const record = {
      method: init?.method ?? (input instanceof Request ? input.method : "GET"),
      url: input instanceof Request ? input.url : String(input),
      status: response.status,
      headers: response.headers,
      receivedAt: Date.now(),
      elapsedMs: Math.round(performance.now() - started),
    };
    if (response.body === null) return responses.push({ ...record, body: "", overLimit: false }), response;
    try {
      // Read under the request's signal: tokenkeeper's timeout covers the body, as it does its own reads.
      const { bytes, overLimit } = await readAtMost(response);
      responses.push({ ...record, body: utf8(bytes), overLimit });
      return new Response(bytes as BodyInit, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      responses.push({ ...record, body: "", overLimit: false });
      throw error;
    }
  };
  return { fetch, responses };
}
