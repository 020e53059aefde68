/** One step of `npm test`. */
export interface Step {
  script: string;
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  single?: boolean;
  /** What the step needs from the machine: names in scripts/needs.mjs. */
  needs?: string[];
}
/** The steps `npm test` runs, in order. */
export declare const steps: Step[];
