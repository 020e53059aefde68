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
  /** name -> { ns per call (median), ratio to the floor (median of per-round ratios) } */
  subjects: Map<string, { ns: number; ratio: number }>;
}

export async function measureHot(
  calls: { name: string; fn: () => Promise<unknown> }[],
  { iterations = 500_000, rounds = 11, warmup = 300_000 } = {},
): Promise<HotResult> {
  const map = new Map<string, string>([["key", "tk1.value"]]);
  const key = "key";
  const floor = { name: "floor", fn: async () => map.get(key) };
  const all = [floor, ...calls];
  const loops = all.map((c, i) => makeLoop(`${i} ${c.name}`));
  for (let i = 0; i < all.length; i++) await loops[i]!(all[i]!.fn, warmup);
  const samples = all.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no subject always runs right after the floor.
    for (let k = 0; k < all.length; k++) {
      const i = (k + r) % all.length;
      gc();
      samples[i]!.push(await loops[i]!(all[i]!.fn, iterations));
    }
  }
  const floorNs = median(samples[0]!);
  const subjects = new Map<string, { ns: number; ratio: number }>();
  for (let i = 1; i < all.length; i++) {
    const ratios = samples[i]!.map((s, r) => s / samples[0]![r]!);
    subjects.set(all[i]!.name, { ns: median(samples[i]!), ratio: median(ratios) });
  }
  return { floorNs, subjects };
}
