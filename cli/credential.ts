// Node-only: the client credential `token` and `doctor` authenticate with: the secret (secret.ts)
// or a private key (private-key.ts), read before any other setting and handed to the output's
// scrubber at once, so that no message about another setting can show it.
import { clientSecretBasic, clientSecretJwt, clientSecretPost, privateKeyJwt, type ClientAuthentication } from "../mod.ts";
import { type ParsedArgs, UsageError } from "./args.ts";
import type { CliIo } from "./io.ts";
import { importPrivateKey, type LoadedPrivateKey } from "./private-key.ts";
import { readClientSecret, readNamedFile, type SecretSource } from "./secret.ts";
import { pick } from "./setting.ts";

/** The client authentication methods the command line offers. */
export const AUTH_METHODS: readonly string[] = ["client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt"];

/** The credential as read, before the method's needs are checked. */
export interface Credential {
  /** The client authentication method. */
  readonly method: string;
  /** The client secret, when one is configured. */
  readonly secret: SecretSource | undefined;
  /** The private key, read for private_key_jwt only. */
  readonly key: (LoadedPrivateKey & { readonly from: string }) | undefined;
  /** Warnings about the files read (see readNamedFile()). */
  readonly warnings: readonly string[];
}

/**
 * Reads the client secret, or the private key for private_key_jwt, and hands it to the output's
 * scrubber at once, before any other setting is checked.
 *
 * @param args The parsed command line.
 * @param io The environment, folder and stdin, and the scrubber.
 * @returns The method and what was read.
 * @throws {UsageError} When `--auth` is unknown, or a secret or key cannot be read or used.
 */
export async function readCredential(args: ParsedArgs, io: CliIo): Promise<Credential> {
  const secret = await readClientSecret(args, io);
  io.secret(secret?.value);
  const keyFile = pick(args, io, "private-key-file", "TOKENKEEPER_PRIVATE_KEY_FILE");
  const method = args.value("auth") ?? (keyFile && !secret ? "private_key_jwt" : "client_secret_post");
  if (!AUTH_METHODS.includes(method)) throw new UsageError(`--auth: use one of ${AUTH_METHODS.join(", ")}`);
  const warnings = secret?.warning ? [secret.warning] : [];
  if (method !== "private_key_jwt" || keyFile === undefined) return { method, secret, key: undefined, warnings };
  const file = await readNamedFile(keyFile.value, keyFile.from, io.cwd, "private key");
  io.secret(file.text);
  const loaded = await importPrivateKey(file.text);
  for (const material of loaded.material) io.secret(material);
  return { method, secret, key: { ...loaded, from: keyFile.from }, warnings: file.warning ? [...warnings, file.warning] : warnings };
}

/**
 * The client authentication for the method, once the method's needs are checked.
 *
 * @param credential What {@link readCredential} read.
 * @param keyId `--key-id`, when given.
 * @returns The client authentication and where its secret or key came from.
 * @throws {UsageError} When the method lacks its secret or key, or has both.
 */
export function authenticationOf(credential: Credential, keyId: string | undefined): { from: string; auth: ClientAuthentication } {
  const { method, secret, key } = credential;
  if (method === "private_key_jwt") {
    if (!key) throw new UsageError("private_key_jwt needs a key: set TOKENKEEPER_PRIVATE_KEY_FILE or pass --private-key-file <path>");
    if (secret) throw new UsageError(`private_key_jwt signs with a key, not a client secret: unset ${secret.from}`);
    const kid = keyId ?? key.kid;
    return { from: key.from, auth: privateKeyJwt(kid === undefined ? key.key : { key: key.key, kid }) };
  }
  if (!secret) {
    throw new UsageError(`${method} needs the client secret: set TOKENKEEPER_CLIENT_SECRET (or TOKENKEEPER_CLIENT_SECRET_FILE), or pass --client-secret-file <path> or --client-secret-stdin`);
  }
  const make = method === "client_secret_basic" ? clientSecretBasic : method === "client_secret_jwt" ? clientSecretJwt : clientSecretPost;
  return { from: secret.from, auth: make(secret.value) };
}
