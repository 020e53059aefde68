import { TokenKeeperError } from "./errors.ts";

/** Largest token endpoint or discovery response tokenkeeper reads. */
const maxResponseBytes = 65_536;

/** A response read whole, within {@link maxResponseBytes}. */
export interface BufferedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  /** The body parsed as JSON once, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

const nullBodyStatus = new Set([101, 103, 204, 205, 304]);

/**
 * Reads a response body to its end, refusing more than {@link maxResponseBytes}. Reading happens
 * under the request's signal, so the timeout covers the body as well as the headers.
 *
 * @throws {TokenKeeperError} `INVALID_RESPONSE` when the body is too large.
 */
export async function readBounded(response: Response, what: string): Promise<BufferedResponse> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxResponseBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(what, response.status);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxResponseBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(what, response.status);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) bytes.set(chunk, offset), offset += chunk.byteLength;
  return { status: response.status, headers: response.headers, bytes, json: parseJson(bytes) };
}

function tooLarge(what: string, status: number): TokenKeeperError {
  return new TokenKeeperError("INVALID_RESPONSE", `${what} failed: response body exceeds ${maxResponseBytes} bytes`, { status });
}

/** A fresh `Response` over buffered bytes, for oauth4webapi to process. */
export function toResponse(buffered: BufferedResponse): Response {
  const body = nullBodyStatus.has(buffered.status) ? null : buffered.bytes;
  return new Response(body as BodyInit | null, { status: buffered.status, headers: buffered.headers });
}

/** The body as text, for an excerpt (see `Redactor.excerpt`); `undefined` when empty. */
export function bodyText(bytes: Uint8Array): string | undefined {
  return bytes.byteLength === 0 ? undefined : new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** Parses a JSON body leniently; `undefined` when it is not JSON. */
function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
