/**
 * What the `tokenkeeper` command (cli/) may use of the library's internals, and nothing else: the
 * command imports the public entries (mod.ts, the subpaths) and this module only, so an internal
 * regrouping touches it here, once. Not part of the package's API.
 *
 * - `Redactor`: the command scrubs what it prints with the library's own redaction.
 * - `basicCredential`: the Basic credential `clientSecretBasic()` sends, which the command redacts.
 * - `isLoopback`: which plain-http hosts the library allows without an opt-in (`doctor`).
 * - `maxResponseBytes`: how much of a response the library reads, which `doctor` reads no further than.
 *
 * @module
 */
export { basicCredential } from "./auth.ts";
export { Redactor } from "./redact.ts";
export { maxResponseBytes } from "./token-endpoint.ts";
export { isLoopback } from "./urls.ts";
