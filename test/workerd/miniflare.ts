// The one Miniflare set-up of the repository: bundles a worker with esbuild and starts workerd
// through miniflare with the bindings a test asks for (plain text, KV namespaces, Durable
// Objects, several workers). Used by the workerd test entries, the Workers semantics tests, the
// store tests, the example runner and the workerd benchmark. Runs on Node.
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

/** The compatibility date of the workerd that miniflare 4.20260426.0 ships. */
export const COMPATIBILITY_DATE = "2026-04-26";
/** The repository root, where bundled sources resolve their imports. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Bundles a worker module's source, with its imports (resolved from the repository root), into
 * one ES module for workerd, as wrangler does. `cloudflare:workers` stays external.
 */
export async function bundleWorker(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "ts", sourcefile: "workerd-entry.ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    // tokenkeeper-source: the conformance package's "tokenkeeper" import bundles the sources.
    conditions: ["tokenkeeper-source", "workerd", "worker", "import"],
    external: ["cloudflare:workers"],
    target: "es2022",
    // package.json says "sideEffects": false, which would drop test/all.ts's bare imports.
    ignoreAnnotations: true,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

/** A worker module file (path from the repository root) as a bundled script: all its exports. */
export function bundleWorkerFile(file: string): Promise<string> {
  const path = JSON.stringify(resolve(ROOT, file));
  return bundleWorker(`export * from ${path};\nexport { default } from ${path};`);
}

/** A Durable Object binding: the class, and the worker that exports it when not this one. */
export interface DurableObjectBinding {
  className: string;
  scriptName?: string;
}

/** One worker: its bundled script and the bindings it asks for. */
export interface WorkerSpec {
  /** Needed when there are several workers. @default "worker" */
  name?: string;
  script: string;
  /** Plain text bindings (`env.NAME`). */
  bindings?: Record<string, string>;
  /** KV namespace bindings, by binding name. */
  kvNamespaces?: string[];
  /** Durable Object namespace bindings, by binding name (SQLite-backed, as `new_sqlite_classes`). */
  durableObjects?: Record<string, DurableObjectBinding>;
  /** @default COMPATIBILITY_DATE */
  compatibilityDate?: string;
  /** Answers the worker's outgoing requests instead of the network (a fake server). */
  outboundService?: (request: Request) => Response | Promise<Response>;
}

/** Running workers. */
export interface Workerd {
  /**
   * Dispatches a request to a worker (the first one by default). Rejects when no answer comes
   * within `deadlineMs`, so that a hung request fails a test instead of hanging it.
   */
  fetch(url: string, options?: { worker?: string; deadlineMs?: number; init?: RequestInit }): Promise<Response>;
  /** How many keys a worker's KV namespace holds. */
  kvKeyCount(binding: string, worker?: string): Promise<number>;
  /** What workerd printed so far (console output, warnings about cross-request promises). */
  logs(): string;
  dispose(): Promise<void>;
}

const DEFAULT_DEADLINE_MS = 15_000;

/** The part of miniflare's worker fetcher used here, with the global `Response` type. */
interface FetcherLike {
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

/** Durable Objects are SQLite-backed, as `new_sqlite_classes` in wrangler.toml makes them. */
function sqlite(bindings: Record<string, DurableObjectBinding>): Record<string, DurableObjectBinding & { useSQLite: true }> {
  const out: Record<string, DurableObjectBinding & { useSQLite: true }> = {};
  for (const [binding, o] of Object.entries(bindings)) out[binding] = { ...o, useSQLite: true };
  return out;
}

/** Starts workerd with `workers` and waits until it is ready. */
export async function startWorkerd(workers: WorkerSpec | readonly WorkerSpec[]): Promise<Workerd> {
  const list = Array.isArray(workers) ? workers : [workers as WorkerSpec];
  let logs = "";
  const mf = new Miniflare({
    workers: list.map((w, i) => ({
      name: w.name ?? (i === 0 ? "worker" : `worker${i}`),
      modules: true,
      script: w.script,
      compatibilityDate: w.compatibilityDate ?? COMPATIBILITY_DATE,
      bindings: w.bindings ?? {},
      kvNamespaces: w.kvNamespaces ?? [],
      durableObjects: sqlite(w.durableObjects ?? {}),
      ...(w.outboundService ? { outboundService: w.outboundService } : {}),
    })),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on("data", (chunk: Buffer) => (logs += chunk));
      stderr.on("data", (chunk: Buffer) => (logs += chunk));
    },
  });
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw new Error(`workerd did not start: ${logs.trim()}`, { cause: error });
  }
  const fetchers = new Map<string, Promise<FetcherLike>>();
  return {
    async fetch(url, { worker, deadlineMs = DEFAULT_DEADLINE_MS, init } = {}) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${init?.method ?? "GET"} ${url} did not answer within ${deadlineMs} ms: the request hung`)), deadlineMs);
      });
      try {
        if (worker === undefined) return await Promise.race([mf.dispatchFetch(url, init as never) as unknown as Promise<Response>, deadline]);
        let fetcher = fetchers.get(worker);
        if (fetcher === undefined) fetchers.set(worker, (fetcher = mf.getWorker(worker) as unknown as Promise<FetcherLike>));
        return await Promise.race([fetcher.then((f) => f.fetch(url, init)), deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    async kvKeyCount(binding, worker) {
      // Typed loosely: without @cloudflare/workers-types, miniflare's KVNamespace type is empty.
      const kv = (await mf.getKVNamespace(binding, worker)) as unknown as { list(): Promise<{ keys: unknown[] }> };
      return (await kv.list()).keys.length;
    },
    logs: () => logs,
    dispose: () => mf.dispose(),
  };
}
