// Bun conformance entry: the suite against tokenkeeper, exits non-zero itself when a MUST fails.
//   bun test/runtimes/conformance-bun.ts
import { runConformance } from "./conformance-run.ts";

interface BunGlobal {
  version: string;
  inspect(value: unknown, options?: { depth?: number }): string;
}
const Bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;

const ok = await runConformance(
  { name: `bun ${Bun.version}`, capabilities: ["inspect"], inspect: (value) => Bun.inspect(value, { depth: Infinity }) },
  (text) => void process.stdout.write(text),
);
if (!ok) process.exit(1);
