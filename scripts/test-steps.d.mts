import type { Cpu } from "./lanes.d.mts";
/** One step of `npm test`. */
export interface Step {
  script: string;
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  single?: boolean;
  /** Steps of one lane run one after another; lanes run side by side. @default "conformance" */
  lane?: string;
  /** What it takes of the CPU beside other steps (scripts/lanes.mjs). @default "busy" */
  cpu?: Cpu;
  /** What the step needs from the machine: names in scripts/needs.mjs. */
  needs?: string[];
}
/** The steps `npm test` runs, in order. */
export declare const steps: Step[];
/** The lanes, first first when several could start a step. */
export declare const lanes: string[];
