// Memory: (1) garbage collections during 1,000,000 cached `getToken()` calls, against the floor
// `async () => map.get(key)` in the same process; (2) heap retained per instance holding one token.
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import v8 from "node:v8";
import { gc, median } from "./stats.ts";

type Loop = (fn: () => Promise<unknown>, n: number) => Promise<void>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Loop;

/**
 * Calls `fn` n times, synchronously in batches of 1,000, awaiting the last promise of each batch:
 * what is counted is what the call allocates, not the per-call `await` machinery of the loop.
 * Each subject gets its own compiled loop (a unique source).
 */
function makeLoop(tag: string): Loop {
  return new AsyncFunction(
    "fn",
    "n",
    `// ${tag}
    for (let i = 0; i < n; ) {
      let p;
      for (let j = 0; j < 1000; j++, i++) p = fn();
      await p;
    }`,
  );
}

export interface Alloc {
  /** Scavenges (minor GCs) during `calls` calls. */
  scavenges: number;
  /** All GCs during `calls` calls. */
  gcs: number;
  /** Bytes allocated per call: new-space growth over 5,000 calls without a GC, median of 5. */
  bytesPerCall: number;
}

export interface AllocResult {
  calls: number;
  floor: Alloc;
  /** The floor plus one `Date.now()` comparison. */
  clockFloor: Alloc;
  subjects: Map<string, Alloc>;
}

/** GC entries observed, with their start time and whether each was a scavenge (minor GC). */
const seen: { at: number; minor: boolean }[] = [];
const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

const newSpaceUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

async function bytesPerCall(run: (n: number) => Promise<void>, n = 5000): Promise<number> {
  const samples: number[] = [];
  for (let tries = 0; samples.length < 5 && tries < 20; tries++) {
    gc();
    await flush();
    seen.length = 0;
    const a = newSpaceUsed();
    await run(n);
    const b = newSpaceUsed();
    await flush();
    if (seen.length === 0) samples.push((b - a) / n);
  }
  return samples.length ? median(samples) : NaN;
}

async function measureOne(run: (n: number) => Promise<void>, n: number): Promise<Alloc> {
  return { ...(await countGcs(() => run(n))), bytesPerCall: await bytesPerCall(run) };
}

async function countGcs(run: () => Promise<void>): Promise<{ scavenges: number; gcs: number }> {
  gc();
  await flush();
  const t0 = performance.now();
  await run();
  const t1 = performance.now();
  await flush();
  const during = seen.filter((e) => e.at >= t0 && e.at <= t1);
  seen.length = 0;
  return { scavenges: during.filter((e) => e.minor).length, gcs: during.length };
}

export async function measureAlloc(
  calls: { name: string; fn: () => Promise<unknown> }[],
  { n = 1_000_000, warmup = 200_000 } = {},
): Promise<AllocResult> {
  const map = new Map<string, string>([["key", "tk1.value"]]);
  const key = "key";
  const floor = async () => map.get(key);
  const until = Date.now() + 3_600_000;
  const clockFloor = async () => (Date.now() < until ? map.get(key) : undefined);
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      seen.push({ at: e.startTime, minor: kind === constants.NODE_PERFORMANCE_GC_MINOR });
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    const all = [{ name: "floor", fn: floor }, { name: "floor + clock", fn: clockFloor }, ...calls];
    const loops = all.map((c, i) => makeLoop(`alloc ${i} ${c.name}`));
    for (let i = 0; i < all.length; i++) await loops[i]!(all[i]!.fn, warmup);
    const results: Alloc[] = [];
    for (let i = 0; i < all.length; i++) results.push(await measureOne((k) => loops[i]!(all[i]!.fn, k), n));
    const subjects = new Map<string, Alloc>();
    for (let i = 2; i < all.length; i++) subjects.set(all[i]!.name, results[i]!);
    return { calls: n, floor: results[0]!, clockFloor: results[1]!, subjects };
  } finally {
    observer.disconnect();
  }
}

/**
 * Heap retained per instance: `heapUsed` after a full GC, with `count` instances alive, each
 * holding one token, minus `heapUsed` before they were created, divided by `count`; the median of
 * `rounds`. `make` creates one instance and gets its token; `drop` releases one afterwards. A
 * warm-up of `warmup` instances first, so lazily compiled code, module-level caches and connection
 * pools exist before the baseline. `settle` runs before each heap reading (the harness clears its
 * token server's record of issued tokens there, which lives in the same heap).
 */
export async function measureRetained<T>(
  make: () => Promise<T>,
  drop: (x: T) => Promise<void>,
  {
    count = 1000,
    rounds = 3,
    warmup = 100,
    concurrency = 8,
    settle = () => {},
  }: { count?: number; rounds?: number; warmup?: number; concurrency?: number; settle?: () => void } = {},
): Promise<number> {
  const makeMany = async (k: number): Promise<T[]> => {
    const alive: T[] = [];
    let started = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started < k) {
          started++;
          alive.push(await make());
        }
      }),
    );
    return alive;
  };
  // Objects a FinalizationRegistry holds for a collected object stay until its cleanup task runs,
  // some time after the collection: undici keeps each request's AbortSignal (and its listener
  // tables) so, and a subject that passes a signal would be charged for garbage. So collect and
  // let cleanup tasks run, three times (one turn of the event loop was not always enough on a
  // loaded machine), and collect again.
  const heapUsed = async () => {
    settle();
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    gc();
    return process.memoryUsage().heapUsed;
  };
  for (const x of await makeMany(warmup)) await drop(x);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = await heapUsed();
    const alive = await makeMany(count);
    const after = await heapUsed();
    for (const x of alive) await drop(x);
    samples.push((after - before) / count);
  }
  return median(samples);
}
