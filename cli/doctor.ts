// Node-only: `tokenkeeper doctor`: the configuration, the network, discovery, the token request,
// its response, the token and the clocks, checked step by step and reported in plain words. It
// never prints the client secret or the token: only a short hash of the token.
import { createHash } from "node:crypto";
import { isTokenKeeperError, type AccessToken, type TokenKeeper } from "../mod.ts";
import { parseArgs, UsageError } from "./args.ts";
import { type CliConfig, CONFIG_OPTIONS, createKeeper, loadConfig } from "./config.ts";
import { checkClock } from "./doctor/clock.ts";
import { reportTokenFailure } from "./doctor/failure.ts";
import { checkJwt, decodeJwt } from "./doctor/jwt.ts";
import { checkMetadata, fetchMetadata, wellKnownUrls } from "./doctor/metadata.ts";
import { checkDns, checkTls } from "./doctor/network.ts";
import { type RecordedResponse, recordingFetch } from "./doctor/recording-fetch.ts";
import { Report } from "./doctor/report.ts";
import { checkTokenResponse } from "./doctor/response.ts";
import { EXIT, EXIT_BY_ERROR_CODE, exitCodeOf } from "./exit-codes.ts";
import { DOCTOR_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";
import { BODY_LIMIT_BYTES } from "./doctor/bounded-read.ts";
import { isLoopback } from "../src/lib/command.ts";

/** The token request's response: the last POST (discovery only GETs). */
function lastPost(responses: readonly RecordedResponse[]): RecordedResponse | undefined {
  return responses.filter((r) => r.method === "POST").at(-1);
}

/** Ends the report without a token: the exit code says what failed. */
function noToken(report: Report, code: number, why: string): number {
  report.print(`\nresult: no token was obtained (${why}); exit code ${code}`);
  return code;
}

function describeConfig(config: CliConfig, report: Report): void {
  report.add("ok", `${config.endpoint.kind} ${config.endpoint.value} (${config.endpoint.from})`);
  const { clientId } = config;
  report.add("ok", `client id ${clientId.shown.text} (${clientId.from}), ${config.method} with the ${config.method === "private_key_jwt" ? "key" : "secret"} from ${config.credentialFrom}`);
  if (clientId.shown.maybeSecret) {
    report.add("note", `the client id is shown in part: it is as long as the secret or has the shape of a generated secret, so it may be one (are ${clientId.from} and the secret swapped?)`);
  }
  for (const warning of config.warnings) report.add("warn", warning);
  if (config.scope.length) report.add("ok", `scope asked for: ${config.scope.join(" ")}`);
  if (config.resource.length) report.add("ok", `resource: ${config.resource.join(", ")}`);
  const parameters = Object.entries(config.tokenParameters);
  // Names only: nothing promises that a parameter's value is not a credential.
  if (parameters.length) report.add("ok", `token parameters: ${parameters.map(([name]) => name).join(", ")}`);
}

/** DNS, then TLS (or a warning for plain http), for one origin. */
async function checkOrigin(url: URL, label: string, report: Report): Promise<boolean> {
  report.section(`dns${label}`);
  if (!(await checkDns(url, report))) return false;
  report.section(`tls${label}`);
  if (url.protocol === "https:") return checkTls(url, report);
  if (isLoopback(url)) report.add("ok", `plain http to ${url.host}: loopback, nothing crosses a network`);
  else report.add("warn", `plain http to ${url.host}: the client secret and the token cross the network unencrypted (--dangerously-allow-http)`);
  return true;
}

/**
 * The issuer's metadata (discovery), or the metadata at a static endpoint's origin when there is
 * some: what it advertises, and the token endpoint it names.
 *
 * @returns `undefined` when discovery is configured and no metadata was found.
 */
async function discoveryStep(config: CliConfig, configured: URL, report: Report): Promise<{ advertised: string[] | undefined; tokenEndpoint: URL | undefined } | undefined> {
  report.section("discovery");
  const issuer = config.endpoint.kind === "issuer" ? config.endpoint.value : undefined;
  const { found, tried } = await fetchMetadata(wellKnownUrls(issuer ? configured : new URL(configured.origin)), globalThis.fetch);
  if (!found) {
    if (issuer) return report.add("fail", `no authorization server metadata found:\n${tried.join("\n")}`), undefined;
    const unusual = tried.filter((line) => !/ answered 404$/.test(line));
    report.add("note", `no metadata at ${configured.origin} (not needed with a static token endpoint): the advertised authentication methods are unknown${unusual.map((line) => `\n${line}`).join("")}`);
    return { advertised: undefined, tokenEndpoint: undefined };
  }
  const advertised = checkMetadata(found, issuer ? { issuer } : { tokenEndpoint: configured.href }, config.method, report);
  const named = found.json["token_endpoint"];
  return { advertised, tokenEndpoint: issuer && typeof named === "string" && URL.canParse(named) ? new URL(named) : undefined };
}

/**
 * Runs `tokenkeeper doctor`.
 *
 * @param argv The arguments after `doctor`.
 * @param io Streams, environment and working directory.
 * @returns 0 when a token was obtained and nothing is wrong, 1 when a token was obtained but
 *   something is wrong, else the exit code of what failed.
 */
export async function doctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, CONFIG_OPTIONS);
  } catch (error) {
    io.stderr(`tokenkeeper doctor: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  if (args.flag("help")) return io.stdout(DOCTOR_HELP), EXIT.ok;
  const report = new Report(io);
  const recorder = recordingFetch((input, init) => fetch(input, init));
  report.print("tokenkeeper doctor");
  report.section("configuration");
  let config: CliConfig;
  let keeper: TokenKeeper;
  try {
    config = await loadConfig(args, io);
    keeper = createKeeper(config, { fetch: recorder.fetch, retry: false });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    report.add("fail", error.message);
    return noToken(report, EXIT.usage, "the configuration is incomplete or invalid");
  }
  try {
    describeConfig(config, report);
    const configured = config.endpoint.url;
    const networkFailed = (): number => noToken(report, EXIT_BY_ERROR_CODE.NETWORK_ERROR, `${configured.host} cannot be reached safely`);
    if (!(await checkOrigin(configured, "", report))) return networkFailed();

    const discovery = await discoveryStep(config, configured, report);
    if (discovery === undefined) return noToken(report, EXIT_BY_ERROR_CODE.DISCOVERY_FAILED, "discovery failed");
    const { advertised, tokenEndpoint } = discovery;
    if (tokenEndpoint && tokenEndpoint.origin !== configured.origin && !(await checkOrigin(tokenEndpoint, " (token endpoint)", report))) return networkFailed();

    report.section("token request");
    let token: AccessToken;
    try {
      token = await keeper.getToken();
    } catch (error) {
      reportTokenFailure(error, lastPost(recorder.responses), config.method, advertised, config.names, report);
      if (lastPost(recorder.responses)?.overLimit) report.add("note", `the response body is over ${BODY_LIMIT_BYTES} bytes: the doctor read no further, as tokenkeeper does`);
      return noToken(report, exitCodeOf(error), isTokenKeeperError(error) ? error.code : "an unexpected error");
    }
    io.secret(token.accessToken);
    const response = lastPost(recorder.responses)!;
    report.add("ok", `${response.method} ${response.url} answered ${response.status} in ${response.elapsedMs} ms`);

    report.section("response");
    const facts = checkTokenResponse(response.status, response.headers, response.body, config.scope, report);
    report.section("clock");
    const serverDate = checkClock(response.headers.get("date"), response.receivedAt, report);
    report.section("access token");
    report.add("ok", `a ${token.tokenType} token, sha256 ${createHash("sha256").update(token.accessToken).digest("hex").slice(0, 12)} (the token itself is never shown)`);
    const jwt = decodeJwt(token.accessToken);
    if (jwt) checkJwt(jwt, { expiresIn: facts.expiresIn, receivedAt: response.receivedAt, serverDate, resource: config.resource }, report);
    else report.add("note", "an opaque token (not a JWT): nothing inside to check, as RFC 6749 intends");

    if (report.problems === 0) {
      report.print("\nresult: healthy: a token was obtained and nothing is wrong");
      return EXIT.ok;
    }
    report.print(`\nresult: a token was obtained, but ${report.problems} problem(s) above need attention; exit code ${EXIT.problems}`);
    return EXIT.problems;
  } catch (error) {
    report.add("fail", `unexpected error: ${(error as Error)?.message ?? String(error)}`);
    return noToken(report, EXIT.internal, "an unexpected error, a bug: please report it");
  } finally {
    await keeper.close();
  }
}
