// Node-only: `tokenkeeper token`: gets a token and prints it alone on stdout, for
// `curl -H "Authorization: Bearer $(tokenkeeper token)"`.
import { createTokenKeeper, isTokenKeeperError, TokenEndpointError } from "../mod.ts";
import { parseArgs } from "./args.ts";
import { CONFIG_OPTIONS, loadConfig } from "./config.ts";
import { EXIT, exitCodeOf } from "./exit-codes.ts";
import { TOKEN_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";
import { Redactor } from "../src/redact.ts";

/**
 * Describes a failure in one line: the library's message (already free of secrets), plus the OAuth
 * error's description when the endpoint sent one.
 *
 * @param error The caught value.
 * @returns The line, without a newline.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof TokenEndpointError && error.error_description && !error.message.includes(error.error_description)) {
    return `${error.message} (${error.error_description})`;
  }
  if (isTokenKeeperError(error) || error instanceof Error) return error.message;
  return String(error);
}

/**
 * Runs `tokenkeeper token`.
 *
 * @param argv The arguments after `token`.
 * @param io Streams, environment and working directory.
 * @returns The exit code.
 */
export async function tokenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let scrubber = new Redactor();
  const fail = (error: unknown): number => {
    io.stderr(scrubber.scrub(`tokenkeeper token: ${describeFailure(error)}\n`));
    return exitCodeOf(error);
  };
  try {
    const args = parseArgs(argv, { ...CONFIG_OPTIONS, json: { type: "boolean" } });
    if (args.flag("help")) return io.stdout(TOKEN_HELP), EXIT.ok;
    const config = await loadConfig(args, io);
    scrubber = config.scrubber;
    const keeper = createTokenKeeper(config.options);
    try {
      const token = await keeper.getToken();
      if (args.flag("json")) {
        io.stdout(JSON.stringify({
          token_type: token.tokenType,
          expires_at: new Date(token.expiresAt).toISOString(),
          expires_in: Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)),
          scope: token.scope ?? null,
          access_token: token.accessToken,
        }) + "\n");
      } else {
        io.stdout(token.accessToken + "\n");
      }
      return EXIT.ok;
    } finally {
      await keeper.close();
    }
  } catch (error) {
    return fail(error);
  }
}
