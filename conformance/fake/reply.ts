// Scripted responses: status, headers, raw bodies, delays, slow or broken bodies, network faults.

/** What a scripted endpoint answers. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Raw body, sent as is. */
  body?: string | Uint8Array;
  /** A JSON body (Content-Type defaults to `application/json;charset=UTF-8`). */
  json?: unknown;
  /** Real delay before the headers, in ms. */
  delayMs?: number;
  /** The headers never come (until the client aborts, or 30 s pass). */
  hang?: boolean;
  /** A body streamed in parts. */
  stream?: {
    parts: readonly string[];
    intervalMs: number;
    /** After the parts, the connection breaks (the body errors). */
    thenReset?: boolean;
    /** After the parts, keep trickling one byte per interval until the client gives up. */
    forever?: boolean;
  };
  /** The request fails at the network level (connection refused/reset before any response). */
  fault?: "network";
  /** A whole `Response`, sent as it is (the unit tests script theirs this way); the rest is ignored. */
  response?: Response;
}

/** Token endpoint headers RFC 6749 §5.1 requires on a token response. */
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

/** Header the in-process fetch turns into a network error. */
export const FAULT_HEADER = "x-fake-fault";

/** Sleeps `ms` (real time), waking early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

function bodyStream(stream: NonNullable<Reply["stream"]>, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  let trickled = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await sleep(stream.intervalMs, signal);
      if (signal?.aborted) return controller.error(signal.reason);
      if (i < stream.parts.length) return controller.enqueue(encoder.encode(stream.parts[i++]));
      if (stream.forever && trickled++ < 500) return controller.enqueue(encoder.encode(" "));
      if (stream.thenReset) return controller.error(new TypeError("terminated: connection reset by peer"));
      controller.close();
    },
  });
}

/** Turns a reply into a Response, honouring its delay, hang and streaming. */
export async function render(reply: Reply, signal: AbortSignal | undefined, defaults: Record<string, string> = {}): Promise<Response> {
  if (reply.response) return reply.response;
  if (reply.hang) {
    await sleep(30_000, signal);
    if (signal?.aborted) throw signal.reason;
  }
  if (reply.delayMs) await sleep(reply.delayMs, signal);
  const headers = new Headers(defaults);
  let body: BodyInit | null = null;
  if (reply.json !== undefined) {
    headers.set("content-type", "application/json;charset=UTF-8");
    body = JSON.stringify(reply.json);
  } else if (reply.body !== undefined) {
    // Bytes, so no Content-Type is added that the scenario did not script.
    const bytes = typeof reply.body === "string" ? new TextEncoder().encode(reply.body) : reply.body;
    body = bytes.slice().buffer;
  } else if (reply.stream) {
    body = bodyStream(reply.stream, signal);
  }
  for (const [k, v] of Object.entries(reply.headers ?? {})) {
    if (v === "") headers.delete(k);
    else headers.set(k, v);
  }
  if (reply.fault) headers.set(FAULT_HEADER, reply.fault);
  const status = reply.status ?? 200;
  if (status === 204 || status === 304) body = null;
  return new Response(body, { status, headers });
}
