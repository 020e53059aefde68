// The doctor reads no more of a response than tokenkeeper does: the library's own cap on token and
// discovery responses (64 KiB), the rest cancelled, so a huge or endless body costs neither memory
// nor time.
import { maxResponseBytes } from "../../src/lib/command.ts";

/** The most of a body the doctor reads, in bytes: tokenkeeper's own cap. */
export const BODY_LIMIT_BYTES: number = maxResponseBytes;

/** The start of a body. */
export interface BoundedBody {
  /** The bytes read: the whole body, or its first `limit + 1` bytes when it is longer. */
  readonly bytes: Uint8Array;
  /** Whether the body is longer than the limit (the rest was cancelled, not read). */
  readonly overLimit: boolean;
}

/**
 * Reads a response body up to one byte past `limit`, then cancels the rest.
 *
 * @param response The response; its body is consumed.
 * @param limit The most bytes wanted.
 * @returns The bytes read and whether there were more.
 * @example Reading a metadata response
 * ```ts
 * const { bytes, overLimit } = await readAtMost(await fetch(url));
 * ```
 */
export async function readAtMost(response: Response, limit: number = BODY_LIMIT_BYTES): Promise<BoundedBody> {
  if (response.body === null) return { bytes: new Uint8Array(0), overLimit: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overLimit = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit + 1 - size;
      chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
      size += Math.min(value.byteLength, room);
      if (size > limit) {
        overLimit = true;
        break;
      }
    }
  } finally {
    if (overLimit) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) bytes.set(chunk, offset), (offset += chunk.byteLength);
  return { bytes, overLimit };
}

/**
 * Decodes bytes as UTF-8, replacing what is not UTF-8.
 *
 * @param bytes The bytes.
 * @returns The text.
 */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}
