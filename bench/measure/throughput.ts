// `fetch` wrappers against raw `fetch` to the same resource, served by another process: requests
// per second with a fixed number of concurrent workers. Each subject batch is paired with a raw
// batch run right before or after it (alternating), and the ratio is the median over the pairs, so
// load from elsewhere on the machine hits both sides of a pair alike. Client CPU time per request
// is recorded too: it is the steadier number when the machine is shared.
import { gc, median } from "./stats.ts";

interface Sample {
  rps: number;
  cpuUsPerReq: number;
}

async function batch(fn: () => Promise<Response>, total: number, concurrency: number): Promise<Sample> {
  let left = total;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const res = await fn();
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`resource answered ${res.status}`);
      }
    }),
  );
  const cpu = process.cpuUsage(c0);
  return { rps: total / ((performance.now() - t0) / 1000), cpuUsPerReq: (cpu.user + cpu.system) / total };
}

export interface ThroughputResult {
  rawRps: number;
  rawCpuUs: number;
  /** name -> throughput ratio to raw fetch, and client CPU per request (µs) of subject and raw. */
  subjects: Map<string, { rps: number; ratio: number; cpuUs: number; cpuRatio: number }>;
}

export async function measureThroughput(
  raw: () => Promise<Response>,
  calls: { name: string; fn: () => Promise<Response> }[],
  { perBatch = 250, concurrency = 8, pairs = 30 } = {},
): Promise<ThroughputResult> {
  const rawAll: Sample[] = [];
  const subjects = new Map<string, { rps: number; ratio: number; cpuUs: number; cpuRatio: number }>();
  for (const { name, fn } of calls) {
    for (let w = 0; w < 3; w++) await batch(raw, perBatch, concurrency), await batch(fn, perBatch, concurrency);
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const mine: Sample[] = [];
    for (let p = 0; p < pairs; p++) {
      gc();
      const rawFirst = p % 2 === 0;
      const a = rawFirst ? await batch(raw, perBatch, concurrency) : undefined;
      const s = await batch(fn, perBatch, concurrency);
      const r = a ?? (await batch(raw, perBatch, concurrency));
      ratios.push(s.rps / r.rps);
      cpuRatios.push(s.cpuUsPerReq / r.cpuUsPerReq);
      mine.push(s);
      rawAll.push(r);
    }
    subjects.set(name, {
      rps: median(mine.map((s) => s.rps)),
      ratio: median(ratios),
      cpuUs: median(mine.map((s) => s.cpuUsPerReq)),
      cpuRatio: median(cpuRatios),
    });
  }
  return { rawRps: median(rawAll.map((s) => s.rps)), rawCpuUs: median(rawAll.map((s) => s.cpuUsPerReq)), subjects };
}
