/**
 * Federated client assertions (RFC 7521 §4.2, RFC 7523 §2.2): the client authenticates with a JWT
 * another issuer gave it, read from a file the platform rotates (Kubernetes' projected service
 * account token, `AZURE_FEDERATED_TOKEN_FILE`) or got from a function (GitHub Actions' OIDC token),
 * instead of a secret it stores. The value of the keeper's `clientAuth` option.
 *
 * @module
 */
import { type Authenticate, ClientAuth } from "./lib/auth.ts";
import { unverifiedClaims } from "./lib/base64url.ts";
import { isTokenKeeperError, TokenKeeperError } from "./lib/errors.ts";
import { readTextFile } from "./lib/files.ts";
import type { ClientAuthentication } from "./lib/types.ts";

/**
 * Where a client assertion comes from: a function that returns one (it may fetch it), or a file
 * the platform writes it to.
 */
export type AssertionSource = (() => string | Promise<string>) | { readonly file: string };

/** An assertion got from its source, its claims (read, not verified), and its own expiry (epoch ms), when it has one. */
interface Assertion {
  readonly value: string;
  readonly claims: Record<string, unknown>;
  readonly expiresAt: number | undefined;
}

/** A function's assertion is got again when it has less than this left. */
const renewBeforeMs = 60_000;
const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const unusable = (why: string): TokenKeeperError => new TokenKeeperError("CREDENTIAL_UNUSABLE", `token request not sent: ${why}`);

/**
 * Client authentication with an assertion another issuer gave the client (workload identity
 * federation): the JWT is sent as `client_assertion`, with `client_id` and the JWT bearer
 * `client_assertion_type`, exactly as Microsoft Entra ID documents a federated credential.
 *
 * - **A file** (`{ file: path }`: Node, Deno, Bun) is read again for every token request, so a
 *   platform that rotates it (the kubelet writes a new service account token well before the old
 *   one expires) is followed at once; nothing of it is kept between requests.
 * - **A function** is called when there is no assertion yet, or the one it gave has less than a
 *   minute left before its own `exp` (read from the JWT without verifying it; one without `exp` is
 *   asked for every time). Concurrent token requests share one call.
 *
 * An assertion past its `exp` is never sent: each attempt, retries included, gets its assertion
 * anew, and one the source can only give expired fails the request with `CREDENTIAL_UNUSABLE`
 * (naming the source and the expiry, never the assertion), which is not retried. The assertion is
 * redacted from every error, whatever the server echoes.
 *
 * With a shared `store`, keepers are told apart by the assertion's `iss` and `sub`: the identity the
 * platform vouches for, the same across rotations and across the fleet (never by the assertion,
 * which changes with every rotation).
 *
 * @param source A function that returns the assertion (a compact JWT), or `{ file: path }`.
 * @returns The client authentication.
 * @throws {TypeError} When `source` is neither, or `{ file }` is used where there is no file system
 *   (Workers: give a function).
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation
 * @example Microsoft Entra Workload ID on Kubernetes: the projected token file
 * ```ts
 * import { clientAssertion, createTokenKeeper } from "tokenkeeper";
 *
 * declare const env: Record<string, string>; // the variables the workload identity webhook sets
 * const graph = createTokenKeeper({
 *   tokenEndpoint: `https://login.microsoftonline.com/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
 *   clientId: env.AZURE_CLIENT_ID!,
 *   clientAuth: clientAssertion({ file: env.AZURE_FEDERATED_TOKEN_FILE! }),
 *   scope: "https://graph.microsoft.com/.default",
 *   baseUrl: "https://graph.microsoft.com/v1.0",
 * });
 * ```
 * @example GitHub Actions' OIDC token (the job needs `permissions: id-token: write`)
 * ```ts
 * import { clientAssertion } from "tokenkeeper";
 *
 * declare const env: Record<string, string>; // the job's environment
 * const clientAuth = clientAssertion(async () => {
 *   const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL!);
 *   url.searchParams.set("audience", "api://AzureADTokenExchange");
 *   const res = await fetch(url, { headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
 *   if (!res.ok) throw new Error(`GitHub OIDC token request failed: ${res.status}`);
 *   return ((await res.json()) as { value: string }).value;
 * });
 * ```
 */
export function clientAssertion(source: AssertionSource): ClientAuthentication {
  let origin: string;
  let read: () => Promise<string>;
  let cached: Assertion | undefined;
  let calling: Promise<Assertion> | undefined;
  if (typeof source === "function") {
    origin = "clientAssertion()'s function";
    read = async () => {
      try {
        return await source();
      } catch (error) {
        if (isTokenKeeperError(error)) throw error;
        // A caller's function may quote a credential (a request token) in its message.
        throw unusable(`${origin} threw ${error instanceof Error ? error.name : typeof error} (its message is not shown, as it may quote a credential)`);
      }
    };
  } else if (typeof source === "object" && source !== null && typeof source.file === "string" && source.file !== "") {
    const path = source.file;
    const readFile = readTextFile;
    if (readFile === undefined) throw new TypeError("clientAssertion: { file } needs a file system (Node, Deno, Bun); on Workers, give a function");
    origin = `the file "${path}"`;
    read = () =>
      readFile(path).catch((error: unknown) => {
        const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
        throw unusable(`the client assertion file "${path}" cannot be read (${String(typeof code === "string" ? code : name)})`);
      });
  } else {
    throw new TypeError("clientAssertion: source must be a function that returns the assertion, or { file: path }");
  }

  /** An assertion from the source, checked to be a JWT (its claims read, not verified). */
  const fetch = async (): Promise<Assertion> => {
    const value = await read();
    const text = typeof value === "string" ? value.trim() : "";
    const claims = unverifiedClaims(text);
    if (claims === undefined) throw unusable(`the client assertion from ${origin} is not a JWT`);
    const { exp } = claims;
    return { value: text, expiresAt: typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined, claims };
  };

  /** A new assertion from the function, one call for concurrent requests, kept when it has an `exp`. */
  const call = async (): Promise<Assertion> => {
    const assertion = await (calling ??= fetch().finally(() => (calling = undefined)));
    if (assertion.expiresAt !== undefined) cached = assertion;
    return assertion;
  };

  /** The assertion to send now: the function's, kept until a minute before its expiry; a file's, read again. */
  const current = async (now: number): Promise<Assertion> => {
    const assertion = typeof source !== "function" ? await fetch()
      : cached?.expiresAt !== undefined && cached.expiresAt - now > renewBeforeMs ? cached
      : await call();
    const { expiresAt } = assertion;
    if (expiresAt !== undefined && expiresAt <= now) {
      const when = Number.isNaN(new Date(expiresAt).getTime()) ? `exp ${expiresAt / 1000}` : new Date(expiresAt).toISOString();
      throw unusable(`the client assertion from ${origin} expired at ${when} (its source gave no newer one)`);
    }
    return assertion;
  };

  const authenticate: Authenticate = async (_as, client, body, _headers, _secrets, redactor, now) => {
    const { value } = await current(now());
    redactor.add(value);
    body.set("client_id", client.client_id);
    body.set("client_assertion_type", jwtBearer);
    body.set("client_assertion", value);
  };

  /** The store key's credential part: who the assertion says the client is, the same across rotations. */
  const identity = async (): Promise<string> => {
    const { claims } = typeof source === "function" ? cached ?? await call() : await fetch();
    if (typeof claims.iss !== "string" || typeof claims.sub !== "string") {
      throw unusable(`a shared store tells federated credentials apart by their iss and sub, and the client assertion from ${origin} lacks them`);
    }
    return JSON.stringify(["client_assertion", claims.iss, claims.sub]);
  };

  return new ClientAuth("private_key_jwt", authenticate, [], { id: identity });
}
