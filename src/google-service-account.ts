/**
 * Google service accounts: a key file made into keeper options for the JWT bearer grant, as
 * Google's "Using OAuth 2.0 for Server to Server Applications" documents it. It runs wherever Web
 * Crypto does, Cloudflare Workers included.
 *
 * @module
 */
import { assertionGrant } from "./lib/assertion-grant.ts";
import { pemBlocks, readPrivateKeyAlgorithm } from "./lib/der.ts";
import type { AuthorizationGrant, CryptoKey } from "./lib/types.ts";

/** The members of a Google service account key file (JSON) that tokenkeeper reads (it has others, which are ignored). */
export interface GoogleServiceAccountKey {
  /** `"service_account"`. */
  readonly type: string;
  /** The service account's email: the assertion's `iss`. */
  readonly client_email: string;
  /** The PKCS#8 PEM RSA private key. */
  readonly private_key: string;
  /** The key's id: the assertion's `kid`. */
  readonly private_key_id: string;
  /** The token endpoint. @default "https://oauth2.googleapis.com/token" */
  readonly token_uri?: string;
}

/** Options of {@link googleServiceAccount}. */
export interface GoogleServiceAccountOptions {
  /**
   * The scopes to ask for (`https://www.googleapis.com/auth/…`). Google requires one, in the
   * assertion; it may also be given per call (`getToken({ scope })`).
   * @default none
   */
  scope?: string | readonly string[];
  /**
   * The email of the user to act for, with domain-wide delegation (the assertion's `sub`).
   * @default none: the service account itself
   */
  subject?: string;
}

/** What {@link googleServiceAccount} returns: keeper options, to spread into `createTokenKeeper()`'s. */
export interface GoogleServiceAccountKeeperOptions {
  /** The key file's `token_uri`. */
  readonly tokenEndpoint: string;
  /** The key file's `client_email`. */
  readonly clientId: string;
  /** The JWT bearer grant, signed with the key file's key. */
  readonly grant: AuthorizationGrant;
  /** The scope, when given. */
  readonly scope?: string | readonly string[];
}

const name = "googleServiceAccount";

function member(key: Record<string, unknown>, field: string): string {
  const value = key[field];
  if (typeof value !== "string" || value === "") throw new TypeError(`${name}: the key file has no ${field}`);
  return value;
}

/**
 * Keeper options for a Google service account: spread them into `createTokenKeeper()`'s and the
 * keeper gets Google access tokens with the JWT bearer grant (RFC 7523 §2.1), with everything
 * else the keeper does (cache, refresh windows, single flight, shared stores, retries, events).
 *
 * Every token request carries a fresh assertion, as Google documents it: header `alg: "RS256"`,
 * `typ: "JWT"`, `kid` = `private_key_id`; claims `iss` = `client_email`, `scope` (space-separated),
 * `aud` = `token_uri`, `iat`, `exp` one hour later (Google's maximum, as its client libraries
 * sign), and `sub` only with `subject` (domain-wide delegation). The request has `grant_type` and
 * `assertion` only: no client authentication, no `scope` parameter. The key is imported (not
 * extractable) on first use, with Web Crypto, so this runs on Workers too.
 *
 * With a shared `store`, keepers are told apart by the service account, the subject and the key
 * id, never by the key.
 *
 * @param keyFile The key file, parsed or as its JSON text.
 * @param options The scopes, and the user to act for with domain-wide delegation.
 * @returns `tokenEndpoint`, `clientId` and `grant` (and `scope`) for `createTokenKeeper()`.
 * @throws {TypeError} When the key file is not a service account key (its content, the private key
 *   included, is never quoted).
 * @see https://developers.google.com/identity/protocols/oauth2/service-account
 * @example Cloud Storage with a service account key
 * ```ts
 * import { createTokenKeeper, googleServiceAccount } from "tokenkeeper";
 *
 * declare const keyFileJson: string; // GOOGLE_APPLICATION_CREDENTIALS' file, or a secret holding it
 * const storage = createTokenKeeper({
 *   ...googleServiceAccount(keyFileJson, { scope: "https://www.googleapis.com/auth/devstorage.read_only" }),
 *   baseUrl: "https://storage.googleapis.com/storage/v1",
 * });
 * const objects = await storage.fetch("/b/my-bucket/o");
 * ```
 */
export function googleServiceAccount(keyFile: string | GoogleServiceAccountKey, options: GoogleServiceAccountOptions = {}): GoogleServiceAccountKeeperOptions {
  let key: unknown = keyFile;
  if (typeof keyFile === "string") {
    try {
      key = JSON.parse(keyFile);
    } catch {
      // JSON.parse's message quotes the text around the error, which may be the private key.
      throw new TypeError(`${name}: the key file is not JSON`);
    }
  }
  if (typeof key !== "object" || key === null || Array.isArray(key)) throw new TypeError(`${name}: the key file must be a JSON object`);
  const fields = key as Record<string, unknown>;
  if (fields["type"] !== "service_account") {
    throw new TypeError(`${name}: the key file's type is ${JSON.stringify(String(fields["type"]).slice(0, 40))}, not "service_account" (user credentials from gcloud are not a service account key)`);
  }
  const clientEmail = member(fields, "client_email");
  const keyId = member(fields, "private_key_id");
  const [der] = pemBlocks(member(fields, "private_key"), "PRIVATE KEY", name);
  if (der === undefined || readPrivateKeyAlgorithm(der).kind !== "RSA") throw new TypeError(`${name}: the key file's private_key is not a PKCS#8 RSA key`);
  const tokenEndpoint = fields["token_uri"] === undefined ? "https://oauth2.googleapis.com/token" : member(fields, "token_uri");
  const { scope, subject } = options;
  if (subject !== undefined && (typeof subject !== "string" || subject === "")) throw new TypeError(`${name}: subject must be a non-empty string`);
  let imported: Promise<CryptoKey> | undefined;
  const importKey = () =>
    crypto.subtle.importKey("pkcs8", der as BufferSource, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]).catch((error: unknown) => {
      imported = undefined;
      throw new TypeError(`${name}: the key file's private_key cannot be imported (${(error as Error)?.name ?? "error"})`);
    });
  const grant = assertionGrant({
    name,
    key: () => (imported ??= importKey()),
    kid: keyId,
    subject: subject ?? null,
    audience: tokenEndpoint,
    scopeInAssertion: true,
    lifetimeSeconds: 3600,
    googleClaims: true,
  });
  return Object.freeze({ tokenEndpoint, clientId: clientEmail, grant, ...(scope === undefined ? {} : { scope }) });
}
