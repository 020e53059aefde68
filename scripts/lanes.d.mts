/** A step's use of the CPU (scripts/lanes.mjs). */
export type Cpu = "light" | "busy" | "alone";
/** Runs `steps` in lanes within `slots` cores and resolves with each step's result. */
export declare function runInLanes<S, R>(
  steps: readonly S[],
  options: { slots: number; order: readonly string[]; laneOf(step: S): string; cpuOf(step: S): Cpu; run(step: S): Promise<R> },
): Promise<Map<S, R>>;
