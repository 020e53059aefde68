// How scripts/test.mjs runs steps side by side. Each step is in a lane and has a CPU class: the
// steps of one lane run one after another in the order given, and the lanes run side by side
// within a CPU budget of `slots` cores:
//   "light"  mostly waits (on timers, servers, child processes): runs beside anything, costs no slot
//   "busy"   keeps about a core busy (the default): one slot
//   "alone"  bounds real time tightly and needs the CPU at once: runs only beside light steps.
//            While one waits for the busy steps to end, no busy step starts, so it is never starved.
// When several lanes could start a step, the lanes listed first go first.

const cost = (cpu, slots) => (cpu === "light" ? 0 : cpu === "alone" ? slots : 1);

/**
 * Runs `steps` in lanes within `slots` cores and resolves with each step's result.
 *
 * @template S, R
 * @param {readonly S[]} steps In list order.
 * @param {{ slots: number, order: readonly string[], laneOf(step: S): string, cpuOf(step: S): "light" | "busy" | "alone", run(step: S): Promise<R> }} options
 *   `order`: lane names, first first; lanes not in it come after, in list order.
 * @returns {Promise<Map<S, R>>}
 */
export function runInLanes(steps, { slots, order, laneOf, cpuOf, run }) {
  /** @type {Map<string, S[]>} */
  const queues = new Map();
  for (const step of steps) queues.set(laneOf(step), [...(queues.get(laneOf(step)) ?? []), step]);
  const rank = (lane) => (order.includes(lane) ? order.indexOf(lane) : order.length);
  const lanes = [...queues.keys()].sort((a, b) => rank(a) - rank(b));
  const running = new Set();
  const results = new Map();
  let used = 0;
  return new Promise((resolve, reject) => {
    const pump = () => {
      const ready = lanes.filter((lane) => !running.has(lane) && queues.get(lane).length > 0);
      // While an alone step is next in a lane, busy steps wait, so the busy ones drain and it starts.
      const aloneWaiting = ready.some((lane) => cpuOf(queues.get(lane)[0]) === "alone");
      for (const lane of ready) {
        const step = queues.get(lane)[0];
        const cpu = cpuOf(step);
        const slotsNeeded = cost(cpu, slots);
        const fits = cpu === "light" || (cpu === "alone" ? used === 0 : !aloneWaiting && used + slotsNeeded <= slots);
        if (!fits) continue;
        queues.get(lane).shift();
        running.add(lane);
        used += slotsNeeded;
        run(step).then((result) => {
          results.set(step, result);
          running.delete(lane);
          used -= slotsNeeded;
          pump();
        }, reject);
      }
      if (running.size === 0 && lanes.every((lane) => queues.get(lane).length === 0)) resolve(results);
    };
    pump();
  });
}
