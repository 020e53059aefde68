// The reference program (reference-program.ts) as a process subject: bundled once per test run
// with esbuild (tokenkeeper from its sources, undici), then started per instance by plain Node.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type CommandOptions, subjectFromCommand } from "../../process/subject.ts";
import type { Subject } from "../../types.ts";

let bundled: Promise<string> | undefined;

/** Bundles the reference program into one ES module that plain Node runs. */
export function referenceBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "conformance-reference-")), "reference.mjs");
    await build({
      entryPoints: [fileURLToPath(new URL("./reference-program.ts", import.meta.url))],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["tokenkeeper-source"],
      logLevel: "error",
      // undici is CommonJS: give the bundle a require for Node's built-in modules.
      banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    });
    return outfile;
  })();
  return bundled;
}

/**
 * tokenkeeper in its own process, over the protocol; with `mutant`, one of the reference program's
 * deliberately broken variants.
 */
export async function referenceSubject(mutant?: string, options: CommandOptions = {}): Promise<Subject> {
  const bundle = await referenceBundle();
  return subjectFromCommand([process.execPath, bundle, ...(mutant ? ["--mutant", mutant] : [])], options);
}
