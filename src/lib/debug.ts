/**
 * `TOKENKEEPER_DEBUG` (issue 20): with it set (any non-empty value but `0`) where the runtime has
 * an environment, every keeper logs every event it emits as one line on stderr, so a deployment
 * can be diagnosed without a code change. A library otherwise reports through errors and
 * `onEvent`; this is its one console call, on purpose, and it prints an event exactly as
 * `onEvent` gets it, which holds no secret (tokens appear only as an 8-hex-digit hash).
 *
 * @module
 */
import type { TokenKeeperEvent } from "./events.ts";

/** What this file reads of the host: Node's, Bun's and Deno 2's `process`, and Deno's permissions. */
type Host = {
  process?: { env?: Record<string, string | undefined> };
  Deno?: { permissions: { querySync(descriptor: { name: "env"; variable: string }): { state: string } } };
};

/**
 * The debug listener, when `TOKENKEEPER_DEBUG` asks for one. Read once per keeper, at creation:
 * `process.env` on Node, Bun and Deno 2. Deno asks before reading it only where env access was
 * granted (in a terminal it would prompt, and without `--allow-env` it throws); Workers have no
 * `process`. Wherever it cannot be read, there is no listener.
 */
export function debugListener(): ((event: TokenKeeperEvent) => void) | undefined {
  let value: string | undefined;
  try {
    const { process, Deno } = globalThis as Host;
    if (Deno?.permissions.querySync({ name: "env", variable: "TOKENKEEPER_DEBUG" }).state !== "prompt") value = process?.env?.["TOKENKEEPER_DEBUG"];
  } catch {
    // Denied: no debug output.
  }
  return value && value !== "0" ? (event) => console.error(`tokenkeeper: ${JSON.stringify(event)}`) : undefined;
}
