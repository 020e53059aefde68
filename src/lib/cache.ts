import type { Clock } from "./api.ts";
import { CacheEntry, type EntryContext } from "./entry.ts";
import type { TokenKeeperError } from "./errors.ts";
import type { Config } from "./options.ts";
import type { TokenSource } from "./source.ts";

/**
 * A keeper's cache entries: the configured scope and resource set's entry, always kept, and
 * entries for per-call sets, at most `maxCacheEntries`, least recently used evicted first. An
 * entry whose request failed and that holds no token is dropped at once; idle entries at the old
 * end are dropped as new ones come. It is also what its entries share: their policies, their
 * token source, where events go, and how keys are made.
 */
export class TokenCache implements EntryContext {
  /** The entry for the configured scope and resources: the hot path. */
  readonly main: CacheEntry;
  readonly clock: Clock;
  readonly source: TokenSource;
  /** The keeper's resolved options. */
  readonly config: Config;
  /** Why the keeper was closed; set, every call is refused with it. */
  closed: TokenKeeperError | undefined;
  /** Per-call entries, least recently used first; made with the first per-call scope or resource. */
  #entries: Map<string, CacheEntry> | undefined;

  constructor(config: Config, source: TokenSource) {
    this.config = config;
    this.clock = config.clock;
    this.source = source;
    this.main = new CacheEntry(config.scope, config.resource, this);
  }

  /** The entry for a scope and resource set, made (and the least recently used evicted) when new. */
  entry(scope: readonly string[], resource: readonly string[]): CacheEntry {
    const key = this.keyOf(scope, resource);
    if (key === this.main.key) return this.main;
    const entries = (this.#entries ??= new Map());
    let entry = entries.get(key);
    if (entry !== undefined) {
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    }
    for (const [oldKey, old] of entries) {
      if (!old.idle()) break;
      entries.delete(oldKey);
    }
    while (entries.size >= this.config.policy.maxCacheEntries) entries.delete(entries.keys().next().value!);
    entry = new CacheEntry(scope, resource, this, key);
    entries.set(key, entry);
    return entry;
  }

  /** Forgets a per-call entry once it holds nothing worth keeping (after its request failed). */
  release(entry: CacheEntry): void {
    if (entry !== this.main && entry.idle() && this.#entries?.get(entry.key) === entry) this.#entries.delete(entry.key);
  }

  /** Drops cached tokens (only the one whose value is `accessToken`, when given), shared copies too. */
  async invalidate(accessToken?: string): Promise<void> {
    await Promise.all([this.main, ...(this.#entries?.values() ?? [])].map((entry) => entry.invalidate(accessToken)));
  }

  /** Aborts every entry's request in flight. */
  close(reason: TokenKeeperError): void {
    this.closed = reason;
    for (const entry of [this.main, ...(this.#entries?.values() ?? [])]) entry.close(reason);
  }

  /**
   * The cache key: everything that changes which token the server issues or who may present it —
   * endpoint, client, auth method, scope set, resource set, every token parameter and the token
   * type. The shared-store key adds the DPoP key's thumbprint and a fingerprint of the credential
   * (one keeper has one credential, so its own cache needs none).
   */
  keyOf(scope: readonly string[], resource: readonly string[]): string {
    const { tokenEndpoint, clientId, auth, tokenParameters, dpop } = this.config;
    const endpoint = typeof tokenEndpoint === "string" ? tokenEndpoint : `discover:${tokenEndpoint.issuer.href}`;
    return JSON.stringify([endpoint, clientId, auth.method, [...scope].sort(), [...resource].sort(), tokenParameters, dpop ? "dpop" : "bearer"]);
  }
}
