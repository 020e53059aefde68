// The Node side of the workerd tests: the test worker (test/workerd/worker.ts) in workerd, one
// worker or a fleet of them per test, each test with a token server it drives, and one workerd
// per suite. Every dispatch runs under a deadline that fails the test instead of hanging it.
import { bundleWorkerFile, startWorkerd, type Workerd } from "./miniflare.ts";
import { startTokenServer, type TokenServer } from "./token-server.ts";

/** A worker's answer: its status and its JSON body (`{ text }` when it is not JSON). */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One test's workers and their token server, in the suite's workerd. */
export interface Harness {
  server: TokenServer;
  /**
   * Dispatches a request to worker `worker` (0 by default); rejects if it does not answer within
   * `deadlineMs` (15 s by default).
   */
  get(path: string, options?: { worker?: number; deadlineMs?: number }): Promise<Answer>;
  /** What workerd printed since the test took its harness (warnings about cross-request promises land here). */
  logs(): string;
}

/** What one test needs: the test worker's bindings (TOKEN_ORIGIN is added) and these options. */
export interface TestWorkers {
  bindings: Record<string, string>;
  /** Every token's `expires_in`. @default 3600 */
  expiresInS?: number;
  /**
   * How many workers (isolates) run the test worker, each with the bindings; the first hosts
   * the Durable Object class, bound in every worker as TOKEN_STORE. @default 1
   */
  workers?: number;
}

/** One workerd for a suite, with each test's own workers and token server. */
export interface SuiteWorkerd<Name extends string> {
  /** The harness of test `name`; each test takes its own, once. */
  take(name: Name): Harness;
  /** Stops workerd and every token server. */
  close(): Promise<void>;
}

let bundled: Promise<string> | undefined;

/**
 * Starts one workerd for a whole suite (in its `before` hook), as hono's runtime tests start one
 * worker per test file: every test's workers (their own isolates, so each test starts from a
 * fresh module scope and its own Durable Object) and token servers are there from the start.
 * Never rejects: when workerd cannot start, each test fails with the reason when it takes its
 * harness (uvu would only count a failed `before` hook, without its error).
 */
export async function startSuite<Name extends string>(tests: Record<Name, TestWorkers>): Promise<SuiteWorkerd<Name>> {
  try {
    return await startAll(tests);
  } catch (error) {
    return {
      take: () => {
        throw new Error(`the suite's workerd did not start: ${String((error as Error)?.message ?? error)}`, { cause: error });
      },
      close: async () => {},
    };
  }
}

async function startAll<Name extends string>(tests: Record<Name, TestWorkers>): Promise<SuiteWorkerd<Name>> {
  const names = Object.keys(tests) as Name[];
  const servers = new Map<Name, TokenServer>();
  const close = async (): Promise<void> => void (await Promise.all([...servers.values()].map((server) => server.close())));
  let workerd: Workerd;
  try {
    await Promise.all(names.map(async (name) => servers.set(name, await startTokenServer(tests[name].expiresInS ?? 3600))));
    bundled ??= bundleWorkerFile("test/workerd/worker.ts");
    const script = await bundled;
    workerd = await startWorkerd(names.flatMap((name) => Array.from({ length: tests[name].workers ?? 1 }, (_, i) => ({
      name: `${name}-w${i}`,
      script,
      bindings: { TOKEN_ORIGIN: servers.get(name)!.origin, ...tests[name].bindings },
      durableObjects: { TOKEN_STORE: { className: "TokenStoreObject", scriptName: `${name}-w0` } },
    }))));
  } catch (error) {
    await close();
    throw error;
  }
  const taken = new Set<Name>();
  return {
    take(name) {
      if (taken.has(name)) throw new Error(`the workers of "${name}" were taken already: one test each`);
      taken.add(name);
      const from = workerd.logs().length;
      return {
        server: servers.get(name)!,
        get(path, { worker = 0, deadlineMs } = {}) {
          const answer = workerd.fetch(`http://worker.test${path}`, { worker: `${name}-w${worker}`, ...(deadlineMs ? { deadlineMs } : {}) }).then(parse);
          answer.catch(() => {}); // awaited later by the test; never an unhandled rejection meanwhile
          return answer;
        },
        logs: () => workerd.logs().slice(from),
      };
    },
    async close() {
      await workerd.dispose();
      await close();
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
