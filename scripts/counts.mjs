// The one format in which every test step reports what it ran, and the one place that writes and
// reads it: a line "N passed, N failed" on standard output (the plain closing line CI reads; one
// word and a colon may stand before it). Runner entries print it with formatCounts();
// scripts/test.mjs reads a step's last such line with parseCounts(). Runtime-neutral: the Deno,
// Bun and workerd entries import it too.

/**
 * The counts line, newline included.
 *
 * @param {{ passed: number, failed: number }} counts
 * @param {string} [label] One word (no spaces) shown before the counts, as in `peers: 4 passed, 0 failed`.
 * @returns {string}
 */
export function formatCounts({ passed, failed }, label) {
  return `${label ? `${label}: ` : ""}${passed} passed, ${failed} failed\n`;
}

const countsLine = /^(?:[\w-]+: )?(\d+) passed, (\d+) failed$/;

/**
 * The counts of the last counts line in `output` (a line of its own, from its first column), or
 * `undefined` when there is none.
 *
 * @param {string} output
 * @returns {{ passed: number, failed: number } | undefined}
 */
export function parseCounts(output) {
  const lines = output.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = countsLine.exec(lines[i].trimEnd());
    if (match) return { passed: Number(match[1]), failed: Number(match[2]) };
  }
  return undefined;
}
