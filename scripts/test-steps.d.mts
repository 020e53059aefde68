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
  /** What the step needs from the machine: names in scripts/needs.mjs. */
  needs?: string[];
}
/** The steps `npm test` runs, in order. */
export declare const steps: Step[];
/** How the steps of one lane run. */
export interface Lane {
  /** The niceness (nice(1)) of its steps when lanes run side by side: 0 normal, 10 yields the CPU. */
  nice: number;
}
/** The lanes, by name. */
export declare const lanes: Record<string, Lane>;
