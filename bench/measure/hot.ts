// Hot path: `getToken()` with a cached token, ns per call, against a floor of
// `async () => map.get(key)` measured in the same process, rounds interleaved.
import { gc, median } from "./stats.ts";

type Loop = (fn: () => Promise<unknown>, n: number) => Promise<number>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Loop;

/** A loop with its own compiled code (a unique source), so call-site feedback is not shared between subjects. */
function makeLoop(tag: string): Loop {
  return new AsyncFunction(
    "fn",
    "n",
    `// ${tag}
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    return Number(process.hrtime.bigint() - t0) / n;`,
  );
}

export interface HotResult {
  floorNs: number;
  /** The floor plus one `Date.now()` comparison: what a cache that checks expiry on each call cannot go below. */
  clockFloorNs: number;
  clockFloorRatio: number;
  /** name -> { ns per call (median), ratio to the floor (median of per-round ratios) } */
  subjects: Map<string, { ns: number; ratio: number }>;
}

export async function measureHot(
  calls: { name: string; fn: () => Promise<unknown> }[],
  { iterations = 200_000, rounds = 25, warmup = 300_000 } = {},
): Promise<HotResult> {
  const map = new Map<string, string>([["key", "tk1.value"]]);
  const key = "key";
  const floor = async () => map.get(key);
  const until = Date.now() + 3_600_000;
  const clockFloor = { name: "floor + clock", fn: async () => (Date.now() < until ? map.get(key) : undefined) };
  const all = [clockFloor, ...calls];
  const floorLoop = makeLoop("floor");
  const loops = all.map((c, i) => makeLoop(`${i} ${c.name}`));
  await floorLoop(floor, warmup);
  for (let i = 0; i < all.length; i++) await loops[i]!(all[i]!.fn, warmup);
  const floorSamples: number[] = [];
  const samples = all.map(() => [] as number[]);
  const ratios = all.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    // Each sample is paired with a floor sample taken right before it; the order of subjects
    // rotates each round.
    for (let k = 0; k < all.length; k++) {
      const i = (k + r) % all.length;
      gc();
      const f = await floorLoop(floor, iterations);
      const x = await loops[i]!(all[i]!.fn, iterations);
      floorSamples.push(f);
      samples[i]!.push(x);
      ratios[i]!.push(x / f);
    }
  }
  const subjects = new Map<string, { ns: number; ratio: number }>();
  for (let i = 1; i < all.length; i++) subjects.set(all[i]!.name, { ns: median(samples[i]!), ratio: median(ratios[i]!) });
  return { floorNs: median(floorSamples), clockFloorNs: median(samples[0]!), clockFloorRatio: median(ratios[0]!), subjects };
}
