// Node-only: the configuration `token` and `doctor` share, from the environment and the command
// line, turned into createTokenKeeper() options. Secrets never come from argv (secret.ts); they
// are read first and handed to the output's scrubber before any other setting is checked, so no
// message about another setting can show them.
import { createTokenKeeper, discover, type TokenKeeper, type TokenKeeperOptions } from "../mod.ts";
import { type OptionSpecs, type ParsedArgs, UsageError } from "./args.ts";
import { type ShownClientId, showClientId } from "./client-id.ts";
import { authenticationOf, readCredential } from "./credential.ts";
import { pick, type Sourced } from "./setting.ts";
import { checkEndpointUrl, checkResources, inFlagTerms, type SettingNames } from "./flags.ts";
import type { CliIo } from "./io.ts";
import { basicCredential } from "../src/lib/command.ts";

/** The options `token` and `doctor` both take. */
export const CONFIG_OPTIONS: OptionSpecs = {
  "token-endpoint": { type: "string" },
  issuer: { type: "string" },
  "client-id": { type: "string" },
  "client-secret-file": { type: "string" },
  "client-secret-stdin": { type: "boolean" },
  auth: { type: "string" },
  "private-key-file": { type: "string" },
  "key-id": { type: "string" },
  scope: { type: "string", multiple: true },
  resource: { type: "string", multiple: true },
  param: { type: "string", multiple: true },
  "timeout-ms": { type: "string" },
  "dangerously-allow-http": { type: "string", multiple: true },
  help: { type: "boolean" },
};

/** What `token` and `doctor` run on. */
export interface CliConfig {
  /** createTokenKeeper() options, without `fetch`. */
  readonly options: TokenKeeperOptions;
  /** The token endpoint, or the issuer it is discovered from, checked and parsed. */
  readonly endpoint: Sourced & { readonly kind: "token endpoint" | "issuer"; readonly url: URL };
  /** The client id, and how it may be shown (see client-id.ts). */
  readonly clientId: Sourced & { readonly shown: ShownClientId };
  /** The client authentication method. */
  readonly method: string;
  /** Where the client secret or private key came from (never the value). */
  readonly credentialFrom: string;
  /** The scope asked for, as scope tokens. */
  readonly scope: readonly string[];
  /** The resource indicators asked for. */
  readonly resource: readonly string[];
  /** The extra token request parameters. */
  readonly tokenParameters: Readonly<Record<string, string>>;
  /** Warnings about the configuration: a secret or key file that others may read. */
  readonly warnings: readonly string[];
  /** Where each setting came from, for messages in the command's terms. */
  readonly names: SettingNames;
  /**
   * The client secret, or the private key file's text: what the token cache derives its
   * encryption key from (a function, so that no serialisation of the configuration holds it).
   */
  readonly credential: () => string;
}

function endpointOf(args: ParsedArgs, io: CliIo): CliConfig["endpoint"] {
  // The command line wins over the environment; within either, two answers are an error.
  const given = (tokenEndpoint: string | undefined, issuer: string | undefined, names: readonly [string, string]): Sourced & { kind: "token endpoint" | "issuer" } | undefined => {
    if (tokenEndpoint && issuer) throw new UsageError(`give a token endpoint or an issuer, not both (${names[0]} and ${names[1]} are set)`);
    if (tokenEndpoint) return { value: tokenEndpoint, from: names[0], kind: "token endpoint" };
    return issuer ? { value: issuer, from: names[1], kind: "issuer" } : undefined;
  };
  const endpoint = given(args.value("token-endpoint"), args.value("issuer"), ["--token-endpoint", "--issuer"]) ??
    given(io.env["TOKENKEEPER_TOKEN_ENDPOINT"], io.env["TOKENKEEPER_ISSUER"], ["TOKENKEEPER_TOKEN_ENDPOINT", "TOKENKEEPER_ISSUER"]);
  if (endpoint) return { ...endpoint, url: checkEndpointUrl(endpoint.value, endpoint.from) };
  throw new UsageError("set TOKENKEEPER_TOKEN_ENDPOINT (or TOKENKEEPER_ISSUER to discover it), or pass --token-endpoint or --issuer");
}

function tokenParametersOf(args: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of args.all("param")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError("--param takes name=value");
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * Reads the configuration of `token` and `doctor`. The secret or key is read first and handed to
 * `io`'s scrubber; URL settings are checked without repeating their values; the library's option
 * errors come back in the command's terms.
 *
 * @param args The parsed command line (see {@link CONFIG_OPTIONS}).
 * @param io The environment, working directory and stdin, and the scrubber secrets go to.
 * @returns The configuration, with createTokenKeeper() options.
 * @throws {UsageError} When a setting is missing, given twice, or malformed.
 */
export async function loadConfig(args: ParsedArgs, io: CliIo): Promise<CliConfig> {
  const credential = await readCredential(args, io);
  const endpoint = endpointOf(args, io);
  const clientId = pick(args, io, "client-id", "TOKENKEEPER_CLIENT_ID");
  if (!clientId) throw new UsageError("set TOKENKEEPER_CLIENT_ID or pass --client-id");
  if (clientId.value === "") throw new UsageError(`${clientId.from} is empty`);
  const shown = showClientId(clientId.value, credential.secret?.value);
  if (shown.maybeSecret) io.secret(clientId.value);
  if (credential.secret) io.secret(basicCredential(clientId.value, credential.secret.value));
  const { from, auth } = authenticationOf(credential, args.value("key-id"));
  const names: SettingNames = { endpoint: endpoint.from, clientId: clientId.from, credential: from, host: endpoint.url.host };
  const scope = args.all("scope").flatMap((s) => s.split(" ")).filter((s) => s !== "");
  const resource = args.all("resource");
  checkResources(resource);
  const tokenParameters = tokenParametersOf(args);
  const timeout = args.value("timeout-ms");
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError("--timeout-ms takes a number of milliseconds");
  const http = args.all("dangerously-allow-http");
  let tokenEndpoint: TokenKeeperOptions["tokenEndpoint"];
  try {
    tokenEndpoint = endpoint.kind === "issuer" ? discover(endpoint.value) : endpoint.value;
  } catch (error) {
    throw error instanceof TypeError ? inFlagTerms(error, names) : error;
  }
  const options: TokenKeeperOptions = {
    tokenEndpoint,
    clientId: clientId.value,
    clientAuth: auth,
    ...(scope.length ? { scope } : {}),
    ...(resource.length ? { resource } : {}),
    ...(Object.keys(tokenParameters).length ? { tokenParameters } : {}),
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
    ...(http.length ? { dangerouslyAllowHttp: http } : {}),
  };
  return {
    options,
    endpoint,
    clientId: { ...clientId, shown },
    method: credential.method,
    credentialFrom: from,
    scope,
    resource,
    tokenParameters,
    warnings: credential.warnings,
    names,
    credential: () => credential.secret?.value ?? credential.key?.material[0] ?? "",
  };
}

/**
 * Makes the keeper a command runs with: the library's option errors (`TypeError`, `RangeError`)
 * come back as usage errors that name the command's flags and variables.
 *
 * @param config The configuration.
 * @param extra Options the command adds (`fetch`, `retry`).
 * @returns The keeper.
 * @throws {UsageError} When the library refuses an option.
 */
export function createKeeper(config: CliConfig, extra: Partial<TokenKeeperOptions> = {}): TokenKeeper {
  try {
    return createTokenKeeper({ ...config.options, ...extra });
  } catch (error) {
    throw error instanceof TypeError || error instanceof RangeError ? inFlagTerms(error, config.names) : error;
  }
}
