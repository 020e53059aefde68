/**
 * The shapes the core declares and optional features implement. A feature (`discover()`, `dpop()`,
 * `sharedStore()`, a client authentication, another grant) makes a value of one of these shapes;
 * the core runs it without importing the feature's code, so a bundler drops what a keeper does
 * not use. Also the small types every layer shares.
 *
 * @module
 */
import type * as oauth from "oauth4webapi";
import type { Emit } from "./events.ts";
import type { TokenRequester, TokenSource } from "./source.ts";
import type { LifetimePolicy } from "./token.ts";
import type { HttpPolicy } from "./urls.ts";

/** The `fetch` signature tokenkeeper calls and offers. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A Web Crypto key: the host's own `CryptoKey` type where its type declarations have one (the DOM
 * lib, Deno, Bun, Workers), else the members tokenkeeper reads. So tokenkeeper's types compile in
 * a project with neither the DOM lib nor a global `CryptoKey` (Node with `lib: ["ES2022"]` and
 * `@types/node` 20), as oauth4webapi's do.
 */
export type CryptoKey = typeof globalThis extends { CryptoKey: { prototype: infer Key } }
  ? Key
  : { readonly algorithm: { readonly name: string }; readonly extractable: boolean; readonly type: string; readonly usages: readonly string[] };

/** An asymmetric key pair of {@link CryptoKey}s, as `crypto.subtle.generateKey()` makes one. */
export interface CryptoKeyPair {
  /** The private key. */
  readonly privateKey: CryptoKey;
  /** The public key. */
  readonly publicKey: CryptoKey;
}

/** Brands a `discover()` value; holds its metadata resolver. */
export const discoveryFeature: unique symbol = Symbol("tokenkeeper.discovery");
/** Brands a `dpop()` value; holds its DPoP support. */
export const dpopFeature: unique symbol = Symbol("tokenkeeper.dpop");
/** Brands a `sharedStore()` value; holds its store protocol. */
export const storeFeature: unique symbol = Symbol("tokenkeeper.sharedStore");
/** Brands a grant value (`jwtBearer()`, `googleServiceAccount()`); holds its {@link GrantSupport}. */
export const grantFeature: unique symbol = Symbol("tokenkeeper.grant");
/** Marks the client authentications this library's builders make (a type only: see `ClientAuth`). */
export const clientAuthBrand: unique symbol = Symbol("tokenkeeper.clientAuthentication");

/** A keeper's discovered token endpoint: its metadata, fetched once and kept (a failed discovery is tried again next time). */
export type ServerResolver = (signal: AbortSignal) => Promise<oauth.AuthorizationServer>;

/** What a `discover()` value gives a keeper: its {@link ServerResolver}, over the keeper's `fetch` and http policy. */
export type DiscoveryConnector = (fetch: FetchLike, policy: HttpPolicy) => ServerResolver;

/**
 * A token endpoint found through authorization server metadata; made by `discover()`, passed as
 * `tokenEndpoint`.
 */
export interface TokenEndpointDiscovery {
  /** The issuer identifier the metadata must name exactly. */
  readonly issuer: URL;
  /** @internal */
  readonly [discoveryFeature]: DiscoveryConnector;
}

/** What the keeper uses of a `dpop()` value. */
export interface DPoPSupport {
  /** A new oauth4webapi handle that signs proofs and keeps nonces (one per keeper and use). */
  handle(): oauth.DPoPHandle;
  /** The public key's JWK thumbprint, part of the shared-store key. */
  thumbprint(): Promise<string>;
  /** Whether a token endpoint error asks for a (new) DPoP nonce (RFC 9449 §8). */
  isNonceError(error: unknown): boolean;
  /**
   * Sends a request with a DPoP-bound token and a fresh proof; once more with the nonce the
   * resource server asks for (RFC 9449 §9), when the body can be sent again.
   */
  send(request: DPoPRequest): Promise<Response>;
}

/** One resource request as {@link DPoPSupport.send} takes it. */
export interface DPoPRequest {
  readonly url: URL;
  readonly init: RequestInit;
  readonly replayable: boolean;
  readonly accessToken: string;
  readonly handle: oauth.DPoPHandle;
  readonly fetch: FetchLike;
}

/** A DPoP key pair for sender-constrained tokens (RFC 9449); made by `dpop()`. */
export interface DPoPKey {
  /** @internal */
  readonly [dpopFeature]: DPoPSupport;
}

/** A lock held on a {@link TokenStore} key; released by its owner only. */
export interface TokenStoreLock {
  /** Releases the lock if this holder still owns it (compare-and-delete). */
  release(): Promise<void>;
}

/**
 * Where tokens are shared between processes, isolates or machines; `sharedStore()` turns one into
 * a keeper's `store` (the adapters in `tokenkeeper/stores/*` do it for you). Values are opaque
 * strings (serialised, and encrypted when the store has an `encryptionKey`); keys are hashes that
 * name no client.
 *
 * The in-memory layer always stays in front of a store, so a fresh token is served without a
 * store round trip, and a failing store degrades to memory instead of failing a call.
 *
 * @example A store over a `Map`, for illustration
 * ```ts
 * import type { TokenStore } from "tokenkeeper";
 *
 * const map = new Map<string, string>();
 * const store: TokenStore = {
 *   get: async (key) => map.get(key),
 *   set: async (key, value) => void map.set(key, value),
 *   delete: async (key) => void map.delete(key),
 * };
 * ```
 */
export interface TokenStore {
  /** Reads a value, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Writes a value that the store drops after `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes a value; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Tries to take a lock that expires after `ttlMs` milliseconds. Resolves to the lock, or to
   * `undefined` when another holder has it. Stores without an atomic primitive may omit it or
   * implement it on a best-effort basis (and say so).
   */
  lock?(key: string, ttlMs: number): Promise<TokenStoreLock | undefined>;
}

/**
 * What a shared store is given of its keeper: the keeper's resolved options, of which it reads its
 * clock, where events go, the lifetime policy and the deadline of a token request, the DPoP key
 * (its thumbprint is part of the store key) and the client authentication (a fingerprint of the
 * credential is part of the store key).
 */
export interface StoreKeeper {
  readonly clock: { now(): number };
  readonly emit: Emit;
  readonly policy: LifetimePolicy & { readonly timeoutMs: number };
  readonly dpop: DPoPSupport | undefined;
  readonly auth: ClientAuthentication;
}

/**
 * Connects a shared store to a keeper: the token source its cache entries use, in front of the
 * keeper's requester.
 * @throws {TypeError} When nothing tells the keeper's credential apart.
 */
export type StoreConnector = (keeper: StoreKeeper, requester: TokenRequester) => TokenSource;

/**
 * A {@link TokenStore} made ready for a keeper's `store` option by `sharedStore()`: the store's own
 * methods, plus the shared-store protocol that comes with it.
 */
export interface SharedTokenStore extends TokenStore {
  /** @internal */
  readonly [storeFeature]: StoreConnector;
}

/**
 * How the client authenticates at the token endpoint: build one with `clientSecretPost`,
 * `clientSecretBasic`, `privateKeyJwt`, `clientSecretJwt` or `customClientAuth`. The secret or key
 * is held out of sight: inspecting or serialising this object shows only `method`.
 */
export interface ClientAuthentication {
  /** The `token_endpoint_auth_method` name, part of the cache key. */
  readonly method: string;
  /** @internal */
  readonly [clientAuthBrand]: true;
}

/** The authorization server as a client authentication function sees it. */
export interface AuthorizationServerLike {
  /** The issuer identifier (for a static token endpoint: its URL). */
  readonly issuer: string;
  /** The token endpoint URL. */
  readonly token_endpoint?: string;
}

/** The client as a client authentication function sees it. */
export interface ClientLike {
  /** The client identifier. */
  readonly client_id: string;
}

/**
 * A grant a token request asks for (RFC 6749 §4): its `grant_type`, and the parameters it adds. The
 * core sends client credentials (§4.4); an opt-in feature, such as the JWT bearer grant of RFC 7523
 * §2.1, supplies another and brings its own code. What `parameters` adds is redacted from errors,
 * and neither `tokenParameters` nor the client authentication can override it.
 */
export interface TokenGrant {
  /** The `grant_type` value. */
  readonly type: string;
  /**
   * Adds the grant's own parameters (an `assertion`, say) to one token request's body, which holds
   * the request's `scope` already (a grant may move it into its assertion, as Google's does).
   */
  readonly parameters?: (body: URLSearchParams, as: AuthorizationServerLike, client: ClientLike) => void | Promise<void>;
}

/** What the keeper uses of a grant value. */
export interface GrantSupport {
  /** The grant every token request of the keeper asks for. */
  readonly grant: TokenGrant;
  /**
   * The client authentication that goes with the grant, given the keeper's options (it refuses
   * `clientSecret` and `clientAuth` when the grant authenticates by itself); its credential tells
   * the keeper apart in a shared store.
   * @throws {TypeError} On options the grant cannot go with.
   */
  readonly auth: (options: { readonly clientSecret?: unknown; readonly clientAuth?: unknown }) => ClientAuthentication;
}

/**
 * A grant other than client credentials, the value of the keeper's `grant` option: made by
 * `jwtBearer()` or `googleServiceAccount()`.
 */
export interface AuthorizationGrant {
  /** The `grant_type` it asks for. */
  readonly type: string;
  /** @internal */
  readonly [grantFeature]: GrantSupport;
}
