// Node-only: `tokenkeeper conformance`: runs @tokenkeeper/conformance when it is installed. The
// suite needs hono and jose, so it is a separate package and never a dependency of tokenkeeper.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT } from "./exit-codes.ts";
import { CONFORMANCE_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";

const SUITE = "@tokenkeeper/conformance/cli";

/** The suite's command line as a function (its `main`). */
type SuiteMain = (argv: string[], options: { cwd: string; write: (text: string) => void }) => Promise<number>;

/**
 * Where the suite is installed: the project the command runs in first, then beside tokenkeeper
 * itself (a global install of both).
 */
function locateSuite(cwd: string): string | undefined {
  for (const from of [join(cwd, "package.json"), import.meta.url]) {
    try {
      return createRequire(from).resolve(SUITE);
    } catch {
      // Not installed there.
    }
  }
  return undefined;
}

/**
 * Runs `tokenkeeper conformance`: `main(argv, { cwd })` of `@tokenkeeper/conformance/cli`, so a
 * relative `--subject` path resolves from the folder the command runs in.
 *
 * @param argv The arguments after `conformance`, passed on to the suite.
 * @param io Streams and working directory.
 * @returns The suite's exit code; `EXIT.notInstalled` when it is not installed.
 */
export async function conformanceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes("--help")) return io.stdout(CONFORMANCE_HELP), EXIT.ok;
  const file = locateSuite(io.cwd);
  if (file === undefined) {
    io.stderr(
      "tokenkeeper conformance: the conformance suite is a separate package, and it is not installed here.\n" +
        "Install it in this project, then run the command again:\n\n" +
        "  npm install -D @tokenkeeper/conformance\n",
    );
    return EXIT.notInstalled;
  }
  let main: SuiteMain;
  try {
    ({ main } = (await import(pathToFileURL(file).href)) as { main: SuiteMain });
  } catch (error) {
    io.stderr(`tokenkeeper conformance: @tokenkeeper/conformance is installed but does not load: ${(error as Error)?.message ?? error}\n`);
    return EXIT.usage;
  }
  return main([...argv], { cwd: io.cwd, write: io.stdout });
}
