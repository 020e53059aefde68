import { type BaseUrl, resolveInput } from "./urls.ts";

/**
 * One request `keeper.fetch()` sends, as a URL and a `RequestInit` made afresh for each send
 * (after a 401, or on a same-origin redirect).
 */
export interface Outgoing {
  readonly url: URL;
  /** The init for one send. */
  init(): RequestInit;
  readonly method: string;
  readonly redirect: RequestRedirect;
  readonly signal: AbortSignal | undefined;
  /** Whether the body can be sent more than once. */
  readonly replayable: boolean;
  readonly hasBody: boolean;
  /** A `Request`'s own body, still to be read ahead ({@link withBodyRead}), if any. */
  readonly unread?: ReadableStream<Uint8Array>;
}

/**
 * How much of a `Request`'s own body `keeper.fetch()` reads ahead to be able to send it again:
 * 1 MiB. A body that ends within it is kept and replayed; a longer one is sent once, as a stream.
 */
export const replayLimitBytes = 1_048_576;

// Bodies the platform serialises afresh for each send, by their tag so another realm's match too.
const replayableTags = new Set(["ArrayBuffer", "Blob", "File", "URLSearchParams", "FormData"]);

/** Whether the platform can serialise `body` again for a second send. */
export function isReplayable(body: unknown): boolean {
  return body == null || typeof body === "string" || ArrayBuffer.isView(body) || replayableTags.has(Object.prototype.toString.call(body).slice(8, -1));
}

/** A `Request`, of this realm, another realm or another copy of the class, recognised by its shape. */
function isRequestLike(value: unknown): value is Request {
  const like = value as Partial<Request> | null;
  return typeof like?.url === "string" && typeof like.method === "string" && typeof like.clone === "function";
}

/** A Request's own body, to be read ahead; refused when it cannot be read whole. */
function ownBody(request: Request): ReadableStream<Uint8Array> | null {
  const body = request.body;
  if (body === null) return null;
  if (!(body instanceof ReadableStream)) throw new TypeError("fetch: the body of a foreign Request is not a ReadableStream of this realm");
  // A body read before would go out empty or cut short, as if that were all of it.
  if (request.bodyUsed === true || body.locked) throw new TypeError("fetch: the body of the Request is already used");
  return body;
}

/**
 * What `keeper.fetch(input, init)` sends. A string or URL input is sent with the caller's own
 * `init`, whose body the platform serialises afresh for each send when it can. A `Request` input
 * (of any realm or copy of the class) is read as global fetch reads it, `init` taking precedence,
 * and never copied: a body given in `init` is sent as given; the Request's own body is left
 * `unread` for {@link withBodyRead}, which runs once the target is known to be allowed.
 *
 * @throws {TypeError} When `input` is neither a URL nor a Request (relative URLs need `baseUrl`),
 *   or its body cannot be read.
 */
export function toOutgoing(input: string | URL | Request, init: RequestInit | undefined, baseUrl: BaseUrl | undefined): Outgoing {
  if (input instanceof Request || isRequestLike(input)) {
    const given = init?.body ?? null;
    const unread = given === null ? ownBody(input) : null;
    const signal = init?.signal ?? input.signal ?? undefined;
    const sent = { method: init?.method ?? input.method, headers: init?.headers ?? input.headers, body: given, signal, duplex: "half" } as RequestInit;
    const outgoing = { url: new URL(input.url), init: () => sent, method: sent.method!.toUpperCase(), redirect: init?.redirect ?? input.redirect ?? "follow", signal };
    if (unread !== null) return { ...outgoing, replayable: false, hasBody: true, unread };
    return { ...outgoing, replayable: isReplayable(given), hasBody: given !== null };
  }
  const text = String(input);
  // An object that stringifies as "[object …]" is no URL: it must not become a path under baseUrl.
  const url = text.startsWith("[object ") ? undefined : resolveInput(text, baseUrl);
  if (url === undefined) throw new TypeError(`fetch: "${text}" is no Request or URL (relative URLs need baseUrl)`);
  const given = init ?? {};
  const body = given.body ?? null;
  return {
    url,
    init: () => given,
    method: (given.method ?? "GET").toUpperCase(),
    redirect: given.redirect ?? "follow",
    signal: given.signal ?? undefined,
    replayable: isReplayable(body),
    hasBody: body !== null,
  };
}

/**
 * `outgoing` with its Request's own body (`unread`) read ahead, up to {@link replayLimitBytes}. A body that
 * ends within the limit is kept as bytes: sent with its length, and again whenever needed. A
 * longer one is sent once, as a stream of what was read followed by the rest: no copy of an upload
 * is held. (With `duplex: "half"` the response waits for the whole body anyway, so reading ahead
 * delays nothing a caller could see but the first bytes on the wire.)
 *
 * @throws The signal's reason when it aborts while reading; a `TypeError` for a chunk that is no
 *   `Uint8Array`, or a body already read.
 */
export async function withBodyRead(outgoing: Outgoing, unread: ReadableStream<Uint8Array>): Promise<Outgoing> {
  const read = await readAhead(unread, replayLimitBytes, outgoing.signal);
  const sent: RequestInit = { ...outgoing.init(), body: (read.bytes ?? read.rest) as BodyInit };
  return { url: outgoing.url, method: outgoing.method, redirect: outgoing.redirect, signal: outgoing.signal, init: () => sent, replayable: read.bytes !== undefined, hasBody: true };
}

/** A body read ahead: all of it, or the chunks read followed by the rest, to be sent once. */
type ReadAhead = { readonly bytes: Uint8Array; readonly rest?: never } | { readonly bytes?: never; readonly rest: ReadableStream<Uint8Array> };

/**
 * Reads `stream` until it ends or more than `limit` bytes have come: the bytes, or a stream of
 * the chunks read followed by the rest (cancelling it cancels the source).
 */
async function readAhead(stream: ReadableStream<Uint8Array>, limit: number, signal: AbortSignal | undefined): Promise<ReadAhead> {
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal!.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) return { bytes: concat(chunks, size) };
      // By tag, so that a Buffer or another realm's Uint8Array passes, as fetch lets them.
      if (Object.prototype.toString.call(value) !== "[object Uint8Array]") throw new TypeError("fetch: a Request body stream must yield Uint8Array chunks");
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) break;
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  let next = 0;
  const rest = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next < chunks.length) {
        controller.enqueue(chunks[next]!);
        // Sent: not kept for a replay that will not happen.
        chunks[next++] = empty;
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  return { rest };
}

const empty = new Uint8Array(0);

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
