// Cold starts on Cloudflare Workers, in workerd through miniflare: concurrent requests to workers
// that each keep one keeper at module scope, against a token endpoint that takes `delayMs` to
// answer. Counts token requests, and measures inside workerd when each request got its token:
// a waiter's added latency is its time minus the first time in its round (the request whose
// token request it was, or the fleet's lock holder). workerd's clock moves only on I/O, and a
// timer firing or a response arriving is I/O, so `Date.now()` right after `getToken()` is when
// the token reached that request.
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker, startWorkerd } from "../../test/workerd/miniflare.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));

/** One configuration: how many isolates, how many requests each, and how tokens are shared. */
export interface WorkerdCase {
  isolates: number;
  requestsPerIsolate: number;
  store: "memory" | "durable-object";
  /** The checkout whose mod.ts (and store) is bundled. @default this repository */
  root?: string;
}

/** What the rounds of one case measured. */
export interface WorkerdResult {
  rounds: number;
  /** Token requests per round (each round is a cold start of every isolate). */
  tokenRequests: number[];
  /** Requests answered with a token, over all rounds. */
  answered: number;
  requests: number;
  /** ms from the dispatch to the first request's token, median over rounds (end to end). */
  firstMs: number;
  /** Every waiter's added latency, ms, sorted. */
  addedMs: number[];
}

/** The worker: one keeper at module scope; `GET /` answers with the token and when it came. */
function workerSource(root: string, store: WorkerdCase["store"]): string {
  const mod = JSON.stringify(resolve(root, "mod.ts"));
  const durable = JSON.stringify(resolve(root, "src/stores/durable-object.ts"));
  return `
    import { env } from "cloudflare:workers";
    import * as tokenkeeper from ${mod};
    ${store === "durable-object" ? `import { durableObjectStore } from ${durable}; export { TokenStoreObject } from ${durable};` : ""}
    // Versions before http on loopback was allowed by default needed the symbol.
    const insecure = tokenkeeper.allowInsecureRequests;
    const keeper = tokenkeeper.createTokenKeeper({
      tokenEndpoint: env.TOKEN_ORIGIN + "/token",
      clientId: "bench-client",
      clientSecret: "bench-secret-not-real",
      ${store === "durable-object" ? "store: durableObjectStore(env.TOKEN_STORE)," : ""}
      ...(insecure ? { [insecure]: true } : {}),
    });
    export default {
      async fetch() {
        try {
          const token = await keeper.getToken();
          return Response.json({ token: token.accessToken, at: Date.now() });
        } catch (error) {
          return Response.json({ error: String(error) }, { status: 500 });
        }
      },
    };`;
}

/** A token endpoint on 127.0.0.1 that answers each request after `delayMs`, counting them. */
async function tokenServer(delayMs: number): Promise<{ origin: string; count: () => number; reset: () => void; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    if (request.method !== "POST" || request.url !== "/token") return void response.writeHead(404).end();
    const n = ++count;
    setTimeout(() => {
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify({ access_token: `tok-${n}`, token_type: "Bearer", expires_in: 3600 }));
    }, delayMs);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  return {
    origin: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    count: () => count,
    reset: () => void (count = 0),
    close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** Runs `rounds` cold starts of `c`: every isolate new, all requests sent at once. */
export async function measureWorkerd(c: WorkerdCase, { rounds = 5, delayMs = 500 } = {}): Promise<WorkerdResult> {
  const server = await tokenServer(delayMs);
  const script = await bundleWorker(workerSource(c.root ?? repository, c.store));
  const result: WorkerdResult = { rounds, tokenRequests: [], answered: 0, requests: 0, firstMs: NaN, addedMs: [] };
  const firsts: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      server.reset();
      const workerd = await startWorkerd(Array.from({ length: c.isolates }, (_, i) => ({
        name: `w${i}`,
        script,
        bindings: { TOKEN_ORIGIN: server.origin },
        ...(c.store === "durable-object" ? { durableObjects: { TOKEN_STORE: { className: "TokenStoreObject", scriptName: "w0" } } } : {}),
      })));
      try {
        const started = performance.now();
        const answers = await Promise.all(Array.from({ length: c.isolates * c.requestsPerIsolate }, async (_, i) => {
          const response = await workerd.fetch("http://bench.test/", { worker: `w${i % c.isolates}`, deadlineMs: 60_000 });
          const body = (await response.json()) as { token?: string; at?: number };
          return { ok: response.ok && typeof body.token === "string", at: body.at ?? NaN, endMs: performance.now() - started };
        }));
        result.requests += answers.length;
        result.answered += answers.filter((a) => a.ok).length;
        result.tokenRequests.push(server.count());
        const first = Math.min(...answers.map((a) => a.at));
        firsts.push(Math.min(...answers.map((a) => a.endMs)));
        const sorted = answers.map((a) => a.at - first).sort((a, b) => a - b);
        result.addedMs.push(...sorted.slice(1)); // the first is the owner (or lock holder) itself
      } finally {
        await workerd.dispose();
      }
    }
  } finally {
    await server.close();
  }
  result.firstMs = median(firsts);
  result.addedMs.sort((a, b) => a - b);
  return result;
}

/** The p-th percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
