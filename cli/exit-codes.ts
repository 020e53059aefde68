// The command's exit codes: one per TokenKeeperError code, plus the command's own. docs/cli.md
// carries the same table, and a test keeps the two in agreement.
import { isTokenKeeperError, type TokenKeeperErrorCode } from "../mod.ts";
import { UsageError } from "./args.ts";

/** Exit codes that are not about a token error. */
export const EXIT = {
  /** Success; for `doctor`, a token was obtained and nothing is wrong. */
  ok: 0,
  /** `doctor`: a token was obtained, but something is wrong (the report says what). */
  problems: 1,
  /** Bad arguments or configuration: nothing was sent. */
  usage: 2,
  /** `conformance`: `@tokenkeeper/conformance` is not installed. */
  notInstalled: 20,
  /** An unexpected error: a bug in tokenkeeper. */
  internal: 70,
} as const;

/** The exit code for each {@link TokenKeeperErrorCode}. */
export const EXIT_BY_ERROR_CODE: Readonly<Record<TokenKeeperErrorCode, number>> = {
  OAUTH_ERROR: 3,
  HTTP_ERROR: 4,
  INVALID_RESPONSE: 5,
  UNSUPPORTED_TOKEN_TYPE: 6,
  DISCOVERY_FAILED: 7,
  CREDENTIAL_UNUSABLE: 8,
  NETWORK_ERROR: 9,
  TIMEOUT: 10,
  COOLDOWN: 11,
  ABORTED: 12,
  CLOSED: 13,
  ORIGIN_NOT_ALLOWED: 14,
  BODY_NOT_REPLAYABLE: 15,
};

/**
 * The exit code for a caught error: its code's for a tokenkeeper error, `usage` for bad arguments
 * or an option the keeper refused, `internal` for anything else.
 *
 * @param error The caught value.
 * @returns The exit code.
 */
export function exitCodeOf(error: unknown): number {
  if (isTokenKeeperError(error)) return EXIT_BY_ERROR_CODE[error.code] ?? EXIT.internal;
  if (error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) return EXIT.usage;
  return EXIT.internal;
}
