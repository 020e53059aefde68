import type { Cpu } from "./lanes.d.mts";
/** One step of `npm test`. */
export interface Step {
  script: string;
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  single?: boolean;
}
/** The steps `npm test` runs, in the order of its summary. */
export declare const steps: Step[];
/** The lanes, first first, each with its steps by name in the order they run. */
export declare const lanes: Record<string, string[]>;
/** What a step takes of the CPU beside the others, by step name, when not "busy". */
export declare const cpu: Record<string, Cpu>;
/** What a step needs from the machine, by step name: names in scripts/needs.mjs. */
export declare const stepNeeds: Record<string, string[]>;
