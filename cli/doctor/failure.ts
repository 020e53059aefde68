// The doctor's account of a failed token request: the error, what answered, and the likely fix.
import { isTokenKeeperError, TokenEndpointError } from "../../mod.ts";
import type { SettingNames } from "../flags.ts";
import { describeFailure } from "../token.ts";
import { suggestion } from "./metadata.ts";
import type { RecordedResponse } from "./recording-fetch.ts";
import type { Report } from "./report.ts";

/** Advice for the OAuth errors a client credentials request meets. */
const OAUTH_ADVICE: Record<string, string> = {
  invalid_client: "the server refused the client credentials: check the client id, the secret, and the authentication method (--auth)",
  unauthorized_client: "this client may not use the client credentials grant: its registration at the server must allow it",
  invalid_scope: "a scope asked for is unknown or not allowed for this client: check --scope",
  invalid_target: "a resource indicator is unknown or not allowed for this client: check --resource",
  unsupported_grant_type: "the server does not do the client credentials grant at this endpoint",
  invalid_request: "the server found the request malformed: the error description may say which parameter",
};

/**
 * Reports why the token request failed, with what answered and the likely fix.
 *
 * @param error The error `getToken()` rejected with.
 * @param response The token endpoint's response, when one arrived.
 * @param method The configured client authentication method.
 * @param advertised The methods the metadata advertises, when known.
 * @param names Where the settings came from, for the library's hints in the command's terms.
 * @param report Where findings go.
 */
export function reportTokenFailure(error: unknown, response: RecordedResponse | undefined, method: string, advertised: readonly string[] | undefined, names: SettingNames, report: Report): void {
  const code = isTokenKeeperError(error) ? error.code : "UNEXPECTED";
  report.add("fail", `${code}: ${describeFailure(error, names)}`);
  if (response) {
    const type = response.headers.get("content-type") ?? "no content type";
    report.add("note", `${response.method} ${response.url} answered ${response.status} (${type}) in ${response.elapsedMs} ms`);
    if (/html/i.test(type)) report.add("note", `an HTML page answered, not a token endpoint: is ${response.url} the token endpoint's URL?`);
    const challenge = response.headers.get("www-authenticate");
    if (challenge) report.add("note", `WWW-Authenticate: ${challenge.slice(0, 200)}`);
    if (challenge && /^\s*basic\b/i.test(challenge) && method !== "client_secret_basic") report.add("note", "the server asks for HTTP Basic: try --auth client_secret_basic");
  }
  if (isTokenKeeperError(error) && error.bodySnippet) report.add("note", `the response began: ${JSON.stringify(error.bodySnippet.slice(0, 160))}`);
  if (error instanceof TokenEndpointError) {
    const advice = OAUTH_ADVICE[error.error];
    if (advice) report.add("note", advice);
    if (error.error === "invalid_client" && advertised && !advertised.includes(method)) report.add("note", `${method} is not among the methods the server advertises (${advertised.join(", ")})${suggestion(advertised)}`);
  }
}
