import { untilAborted } from "./timers.ts";
import { type BaseUrl, resolveInput } from "./urls.ts";

/**
 * One request `keeper.fetch()` sends: where, and the `RequestInit` sent each time (after a 401, or
 * on a same-origin redirect). A `Request`'s own body is `unread` until {@link withBodyRead}.
 */
export interface Outgoing {
  readonly url: URL;
  readonly init: RequestInit;
  /** A `Request`'s own body, to be read ahead ({@link withBodyRead}) before the first send, if any. */
  readonly unread?: ReadableStream<Uint8Array> | undefined;
}

/**
 * How much of a `Request`'s own body `keeper.fetch()` reads ahead to be able to send it again:
 * 1 MiB. A body that ends within it is kept and replayed; a longer one is sent once, as a stream.
 */
export const replayLimitBytes = 1_048_576;

// Bodies the platform serialises afresh for each send, by their tag so another realm's match too.
const replayableTags = ["ArrayBuffer", "Blob", "File", "URLSearchParams", "FormData"];

/** Whether the platform can serialise `body` again for a second send (no body can). */
export function isReplayable(body: unknown): boolean {
  return body == null || typeof body === "string" || ArrayBuffer.isView(body) || replayableTags.includes(Object.prototype.toString.call(body).slice(8, -1));
}

/** A `Request` of this realm, another realm or another copy of the class, recognised by its shape. */
function isRequestLike(value: unknown): value is Request {
  const like = value as Partial<Request> | null;
  return typeof like?.url === "string" && typeof like.method === "string" && typeof like.clone === "function";
}

/** A Request's own body, to be read ahead; refused when it cannot be read whole. */
function ownBody(request: Request): ReadableStream<Uint8Array> | undefined {
  const body = request.body;
  if (body === null) return undefined;
  if (!(body instanceof ReadableStream)) throw new TypeError("fetch: the Request's body cannot be read");
  // A body read before would go out empty or cut short, as if that were all of it.
  if (request.bodyUsed === true || body.locked) throw new TypeError("fetch: the Request's body was read already");
  return body;
}

/** An empty `RequestInit`, for calls that give none (never changed: every send copies it). */
const noInit: RequestInit = Object.freeze({});

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
export function toOutgoing(input: string | URL | Request, init: RequestInit | undefined, base: BaseUrl | undefined): Outgoing {
  if (typeof input === "object" && isRequestLike(input)) {
    const given = init ?? noInit;
    const body = given.body ?? null;
    return {
      url: new URL(input.url),
      init: { method: given.method ?? input.method, headers: given.headers ?? input.headers, body, signal: given.signal ?? input.signal, redirect: given.redirect ?? input.redirect, duplex: "half" } as RequestInit,
      unread: body === null ? ownBody(input) : undefined,
    };
  }
  const text = String(input);
  // An object that stringifies as "[object …]" is no URL: it must not become a path under baseUrl.
  const url = text.startsWith("[object ") ? undefined : resolveInput(text, base);
  if (url === undefined) throw new TypeError(`fetch: "${text}" is no Request or URL (relative URLs need baseUrl)`);
  return { url, init: init ?? noInit };
}

/**
 * The init with a Request's own body (`unread`) read ahead, up to {@link replayLimitBytes}. A body
 * that ends within the limit is kept (as a `Blob`): sent with its length, and again whenever needed.
 * A longer one is sent once, as a stream of what was read followed by the rest: no copy of an upload
 * is held. (With `duplex: "half"` the response waits for the whole body anyway, so reading ahead
 * delays nothing a caller could see but the first bytes on the wire.)
 *
 * @throws The signal's reason when it aborts while reading (the body is cancelled).
 */
export async function withBodyRead(init: RequestInit, unread: ReadableStream<Uint8Array>): Promise<RequestInit> {
  const reader = unread.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let body: BodyInit | undefined;
  try {
    while (body === undefined) {
      const { done, value } = await untilAborted(reader.read(), init.signal ?? undefined);
      if (done) body = new Blob(chunks as BlobPart[]);
      // A chunk that is no bytes (NaN) makes it a stream too: fetch refuses it, as it should.
      else if (chunks.push(value) && !((size += value.byteLength) <= replayLimitBytes)) {
        body = new ReadableStream<Uint8Array>({
          // The chunks read ahead go first, and are let go of as they go.
          pull: async (controller) => {
            const chunk = chunks.shift() ?? (await reader.read()).value;
            if (chunk === undefined) controller.close();
            else controller.enqueue(chunk);
          },
          cancel: (reason) => reader.cancel(reason),
        }, { highWaterMark: 0 });
      }
    }
  } catch (error) {
    // Aborted: the body goes nowhere, and its source is told so.
    void reader.cancel(error).catch(() => {});
    throw error;
  }
  return { ...init, body };
}
