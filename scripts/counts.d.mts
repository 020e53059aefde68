/** Counts of one test run. */
export interface Counts {
  passed: number;
  failed: number;
}
/** The counts line, newline included: `[label: ]N passed, N failed`. */
export declare function formatCounts(counts: Counts, label?: string): string;
/** The counts of the last counts line in `output`, or `undefined` when there is none. */
export declare function parseCounts(output: string): Counts | undefined;
