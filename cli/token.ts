// Node-only: `tokenkeeper token`: gets a token and prints it alone on stdout, for
// `curl -H "Authorization: Bearer $(tokenkeeper token)"`.
import { isTokenKeeperError, TokenEndpointError } from "../mod.ts";
import { parseArgs } from "./args.ts";
import { cacheFolder } from "./cache-folder.ts";
import { CONFIG_OPTIONS, createKeeper, loadConfig } from "./config.ts";
import { EXIT, exitCodeOf } from "./exit-codes.ts";
import { inCommandWords, type SettingNames } from "./flags.ts";
import { TOKEN_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";
import { openTokenCache } from "./token-cache.ts";

/**
 * Describes a failure in one line: the library's message (already free of secrets) in the
 * command's terms, plus the OAuth error's description when the endpoint sent one.
 *
 * @param error The caught value.
 * @param names Where the settings came from, once the configuration is read: the library's hints
 *   ("check tokenEndpoint") then name the command's flags and variables.
 * @returns The line, without a newline.
 */
export function describeFailure(error: unknown, names?: SettingNames): string {
  const words = (message: string) => (names === undefined ? message : inCommandWords(message, names));
  if (error instanceof TokenEndpointError && error.error_description && !error.message.includes(error.error_description)) {
    return `${words(error.message)} (${error.error_description})`;
  }
  if (isTokenKeeperError(error) || error instanceof Error) return words(error.message);
  return String(error);
}

/**
 * Runs `tokenkeeper token`.
 *
 * @param argv The arguments after `token`.
 * @param io Environment, working directory, and the writer that scrubs and escapes.
 * @returns The exit code.
 */
export async function tokenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let names: SettingNames | undefined;
  try {
    const args = parseArgs(argv, { ...CONFIG_OPTIONS, json: { type: "boolean" }, "no-cache": { type: "boolean" } });
    if (args.flag("help")) return io.stdout(TOKEN_HELP), EXIT.ok;
    const config = await loadConfig(args, io);
    names = config.names;
    const warn = (warning: string): void => io.stderr(`tokenkeeper token: warning: ${warning}\n`);
    for (const warning of config.warnings) warn(warning);
    // Between runs, tokens wait in the user's cache folder (token-cache.ts); none is known
    // without a home folder in the environment.
    const folder = args.flag("no-cache") ? undefined : cacheFolder(io.env);
    const store = folder === undefined ? undefined : await openTokenCache(folder, config.credential(), warn);
    let cacheFailed = false;
    const keeper = createKeeper(config, store === undefined ? {} : {
      store,
      onEvent: (event) => {
        // The library carries on without the cache; say so once (its message holds no secret).
        if (event.type === "store_error" && !cacheFailed) warn(`the token cache failed (${event.operation}: ${event.message}); carrying on without it`);
        if (event.type === "store_error") cacheFailed = true;
      },
    });
    try {
      const token = await keeper.getToken();
      if (args.flag("json")) {
        io.result(JSON.stringify({
          token_type: token.tokenType,
          expires_at: new Date(token.expiresAt).toISOString(),
          expires_in: Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)),
          scope: token.scope === undefined ? null : io.scrub(token.scope),
          access_token: token.accessToken,
        }) + "\n");
      } else {
        io.result(token.accessToken + "\n");
      }
      return EXIT.ok;
    } finally {
      await keeper.close();
    }
  } catch (error) {
    io.stderr(`tokenkeeper token: ${describeFailure(error, names)}\n`);
    return exitCodeOf(error);
  }
}
