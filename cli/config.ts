// Node-only: the configuration `token` and `doctor` share, from the environment and the command
// line, turned into createTokenKeeper() options. Secrets never come from argv (secret.ts).
import {
  clientSecretBasic,
  clientSecretJwt,
  clientSecretPost,
  discover,
  privateKeyJwt,
  type ClientAuthentication,
  type TokenKeeperOptions,
} from "../mod.ts";
import { type OptionSpecs, type ParsedArgs, UsageError } from "./args.ts";
import type { CliIo } from "./io.ts";
import { importPrivateKey } from "./private-key.ts";
import { basicCredential } from "../src/client-auth.ts";
import { Redactor } from "../src/redact.ts";
import { readClientSecret, readNamedFile } from "./secret.ts";

/** The client authentication methods the command line offers. */
export const AUTH_METHODS: readonly string[] = ["client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt"];

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

/** A configuration value and where it came from. */
export interface Sourced {
  /** The value. */
  readonly value: string;
  /** The variable or option it was read from. */
  readonly from: string;
}

/** What `token` and `doctor` run on. */
export interface CliConfig {
  /** createTokenKeeper() options, without `fetch`. */
  readonly options: TokenKeeperOptions;
  /** The token endpoint, or the issuer it is discovered from. */
  readonly endpoint: Sourced & { readonly kind: "token endpoint" | "issuer" };
  /** The client id. */
  readonly clientId: Sourced;
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
  /** Scrubs the secret, the key and the Basic credential from output. */
  readonly scrubber: Redactor;
}

/** One setting from a command-line option, else from an environment variable. */
function pick(args: ParsedArgs, io: CliIo, option: string, variable: string): Sourced | undefined {
  const fromArgs = args.value(option);
  if (fromArgs !== undefined) return { value: fromArgs, from: `--${option}` };
  const fromEnv = io.env[variable];
  return fromEnv ? { value: fromEnv, from: variable } : undefined;
}

function endpointOf(args: ParsedArgs, io: CliIo): CliConfig["endpoint"] {
  // The command line wins over the environment; within either, two answers are an error.
  const given = (tokenEndpoint: string | undefined, issuer: string | undefined, names: readonly [string, string]): CliConfig["endpoint"] | undefined => {
    if (tokenEndpoint && issuer) throw new UsageError(`give a token endpoint or an issuer, not both (${names[0]} and ${names[1]} are set)`);
    if (tokenEndpoint) return { value: tokenEndpoint, from: names[0], kind: "token endpoint" };
    return issuer ? { value: issuer, from: names[1], kind: "issuer" } : undefined;
  };
  const endpoint = given(args.value("token-endpoint"), args.value("issuer"), ["--token-endpoint", "--issuer"]) ??
    given(io.env["TOKENKEEPER_TOKEN_ENDPOINT"], io.env["TOKENKEEPER_ISSUER"], ["TOKENKEEPER_TOKEN_ENDPOINT", "TOKENKEEPER_ISSUER"]);
  if (endpoint) return endpoint;
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

async function authenticationOf(args: ParsedArgs, io: CliIo, clientId: string, scrubber: Redactor): Promise<{ method: string; from: string; auth: ClientAuthentication }> {
  const secret = await readClientSecret(args, io);
  const keyFile = pick(args, io, "private-key-file", "TOKENKEEPER_PRIVATE_KEY_FILE");
  const method = args.value("auth") ?? (keyFile && !secret ? "private_key_jwt" : "client_secret_post");
  if (!AUTH_METHODS.includes(method)) throw new UsageError(`--auth: use one of ${AUTH_METHODS.join(", ")}`);
  if (method === "private_key_jwt") {
    if (!keyFile) throw new UsageError("private_key_jwt needs a key: set TOKENKEEPER_PRIVATE_KEY_FILE or pass --private-key-file <path>");
    if (secret) throw new UsageError(`private_key_jwt signs with a key, not a client secret: unset ${secret.from}`);
    const loaded = await importPrivateKey(await readNamedFile(keyFile.value, io.cwd, "private key"));
    for (const material of loaded.material) scrubber.add(material);
    const kid = args.value("key-id") ?? loaded.kid;
    return { method, from: keyFile.from, auth: privateKeyJwt(kid === undefined ? loaded.key : { key: loaded.key, kid }) };
  }
  if (!secret) {
    throw new UsageError(`${method} needs the client secret: set TOKENKEEPER_CLIENT_SECRET (or TOKENKEEPER_CLIENT_SECRET_FILE), or pass --client-secret-file <path> or --client-secret-stdin`);
  }
  scrubber.add(secret.value);
  scrubber.addAuthorization(`Basic ${basicCredential(clientId, secret.value)}`);
  const make = method === "client_secret_basic" ? clientSecretBasic : method === "client_secret_jwt" ? clientSecretJwt : clientSecretPost;
  return { method, from: secret.from, auth: make(secret.value) };
}

/**
 * Reads the configuration of `token` and `doctor`.
 *
 * @param args The parsed command line (see {@link CONFIG_OPTIONS}).
 * @param io The environment, working directory and stdin.
 * @returns The configuration, with createTokenKeeper() options.
 * @throws {UsageError} When a setting is missing, given twice, or malformed.
 */
export async function loadConfig(args: ParsedArgs, io: CliIo): Promise<CliConfig> {
  const endpoint = endpointOf(args, io);
  const clientId = pick(args, io, "client-id", "TOKENKEEPER_CLIENT_ID");
  if (!clientId) throw new UsageError("set TOKENKEEPER_CLIENT_ID or pass --client-id");
  const scrubber = new Redactor();
  const { method, from, auth } = await authenticationOf(args, io, clientId.value, scrubber);
  const scope = args.all("scope").flatMap((s) => s.split(" ")).filter((s) => s !== "");
  const resource = args.all("resource");
  const tokenParameters = tokenParametersOf(args);
  const timeout = args.value("timeout-ms");
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError("--timeout-ms takes a number of milliseconds");
  const http = args.all("dangerously-allow-http");
  const options: TokenKeeperOptions = {
    tokenEndpoint: endpoint.kind === "issuer" ? discover(endpoint.value) : endpoint.value,
    clientId: clientId.value,
    clientAuth: auth,
    ...(scope.length ? { scope } : {}),
    ...(resource.length ? { resource } : {}),
    ...(Object.keys(tokenParameters).length ? { tokenParameters } : {}),
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
    ...(http.length ? { dangerouslyAllowHttp: http } : {}),
  };
  return { options, endpoint, clientId, method, credentialFrom: from, scope, resource, tokenParameters, scrubber };
}
