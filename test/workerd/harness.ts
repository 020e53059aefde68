// The Node side of the workerd tests: the test worker (test/workerd/worker.ts) in workerd, one
// worker or a fleet of them, with a token server the test drives. Every dispatch runs under a
// deadline that fails the test instead of hanging it.
import { bundleWorkerFile, startWorkerd, type Workerd } from "./miniflare.ts";
import { startTokenServer, type TokenServer } from "./token-server.ts";

/** A worker's answer: its status and its JSON body (`{ text }` when it is not JSON). */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Running workers and their token server. */
export interface Harness {
  server: TokenServer;
  /**
   * Dispatches a request to worker `worker` (0 by default); rejects if it does not answer within
   * `deadlineMs` (15 s by default).
   */
  get(path: string, options?: { worker?: number; deadlineMs?: number }): Promise<Answer>;
  /** What workerd printed (warnings about cross-request promises land here). */
  logs(): string;
  close(): Promise<void>;
}

/** Options of {@link start}. */
export interface StartOptions {
  /** Every token's `expires_in`. @default 3600 */
  expiresInS?: number;
  /**
   * How many workers (isolates) run the test worker, each with these bindings; the first hosts
   * the Durable Object class, bound in every worker as TOKEN_STORE. @default 1
   */
  workers?: number;
}

let bundled: Promise<string> | undefined;

/** Starts the token server and the test worker with `bindings` (plus TOKEN_ORIGIN). */
export async function start(bindings: Record<string, string>, { expiresInS = 3600, workers = 1 }: StartOptions = {}): Promise<Harness> {
  const server = await startTokenServer(expiresInS);
  let workerd: Workerd;
  try {
    bundled ??= bundleWorkerFile("test/workerd/worker.ts");
    const script = await bundled;
    workerd = await startWorkerd(Array.from({ length: workers }, (_, i) => ({
      name: `w${i}`,
      script,
      bindings: { TOKEN_ORIGIN: server.origin, ...bindings },
      durableObjects: { TOKEN_STORE: { className: "TokenStoreObject", scriptName: "w0" } },
    })));
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    get(path, { worker = 0, deadlineMs } = {}) {
      const answer = workerd.fetch(`http://worker.test${path}`, { worker: `w${worker}`, ...(deadlineMs ? { deadlineMs } : {}) }).then(parse);
      answer.catch(() => {}); // awaited later by the test; never an unhandled rejection meanwhile
      return answer;
    },
    logs: () => workerd.logs(),
    async close() {
      await workerd.dispose();
      await server.close();
    },
  };
}

/** Token requests the token server has seen. */
export const tokenRequests = (h: Harness): number => h.server.seen.filter((s) => s.kind === "token").length;

/** What workerd prints when a request touches or awaits another request's I/O. */
export const CROSS_REQUEST = /different request|Cannot perform I\/O on behalf of|hung|will never resolve/i;

async function parse(response: Response): Promise<Answer> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: response.status, body: { text } };
  }
}
