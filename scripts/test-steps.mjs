// The steps `npm test` runs, in order. `single: true` counts a step as one check (pass or fail by
// exit code); otherwise its uvu summaries are summed.
const tsx = ["node_modules/tsx/dist/cli.mjs"];

/** @type {{ name: string, cmd: string, args: string[], env?: Record<string,string>, single?: boolean }[]} */
export const steps = [
  { name: "typecheck: library (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], single: true },
  { name: "typecheck: tests (tsc)", cmd: "node", args: ["node_modules/typescript/bin/tsc", "-p", "tsconfig.test.json"], single: true },
  { name: "node: unit tests", cmd: "node", args: [...tsx, "test/runtimes/node.ts"] },
];
