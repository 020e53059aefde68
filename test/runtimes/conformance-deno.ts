// Deno conformance entry: the suite against tokenkeeper, exits non-zero itself when a MUST fails.
//   deno run --allow-env --allow-read --allow-net test/runtimes/conformance-deno.ts
import { runConformance } from "./conformance-run.ts";

interface DenoGlobal {
  version: { deno: string };
  inspect(value: unknown, options?: { depth?: number }): string;
  exit(code: number): never;
}
const Deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;
const encoder = new TextEncoder();
const write = (text: string): void => void (globalThis as unknown as { process: { stdout: { write(b: Uint8Array): void } } }).process.stdout.write(encoder.encode(text));

const ok = await runConformance(
  { name: `deno ${Deno.version.deno}`, capabilities: ["inspect"], inspect: (value) => Deno.inspect(value, { depth: Infinity }) },
  write,
);
if (!ok) Deno.exit(1);
