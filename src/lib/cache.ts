import { CacheEntry, type EntryDeps } from "./entry.ts";
import type { TokenKeeperError } from "./errors.ts";

/** What makes a cache key, beyond a call's scope and resources. */
export interface KeyParts {
  /** The token endpoint URL, or the issuer to discover it from. */
  readonly endpoint: string;
  readonly clientId: string;
  readonly authMethod: string;
  readonly tokenParameters: readonly (readonly [string, string])[];
  readonly tokenType: "bearer" | "dpop";
}

/**
 * A keeper's cache entries: the configured scope and resource set's entry, always kept, and
 * entries for per-call sets, at most `maxEntries`, least recently used evicted first. An entry
 * whose request failed and that holds no token is dropped at once; idle entries at the old end
 * are dropped as new ones come.
 */
export class TokenCache {
  /** The entry for the configured scope and resources: the hot path. */
  readonly main: CacheEntry;
  readonly #parts: KeyParts;
  readonly #deps: EntryDeps;
  readonly #maxEntries: number;
  /** Per-call entries, least recently used first. */
  readonly #entries = new Map<string, CacheEntry>();

  constructor(parts: KeyParts, scope: readonly string[], resource: readonly string[], maxEntries: number, deps: EntryDeps) {
    this.#parts = parts;
    this.#deps = deps;
    this.#maxEntries = maxEntries;
    this.main = new CacheEntry(this.#keyOf(scope, resource), scope, resource, deps);
  }

  /** The entry for a scope and resource set, made (and the least recently used evicted) when new. */
  entry(scope: readonly string[], resource: readonly string[]): CacheEntry {
    const key = this.#keyOf(scope, resource);
    if (key === this.main.query.key) return this.main;
    let entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry;
    }
    for (const [oldKey, old] of this.#entries) {
      if (!old.idle()) break;
      this.#entries.delete(oldKey);
    }
    while (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    entry = new CacheEntry(key, scope, resource, this.#deps);
    this.#entries.set(key, entry);
    return entry;
  }

  /** Forgets a per-call entry once it holds nothing worth keeping (after its request failed). */
  release(entry: CacheEntry): void {
    if (entry !== this.main && entry.idle() && this.#entries.get(entry.query.key) === entry) this.#entries.delete(entry.query.key);
  }

  /** Drops cached tokens (only the one whose value is `accessToken`, when given), shared copies too. */
  async invalidate(accessToken?: string): Promise<void> {
    await Promise.all([this.main, ...this.#entries.values()].map((entry) => entry.invalidate(accessToken)));
  }

  /** Aborts every entry's request in flight. */
  close(reason: TokenKeeperError): void {
    for (const entry of [this.main, ...this.#entries.values()]) entry.close(reason);
  }

  /**
   * The cache key: everything that changes which token the server issues or who may present it —
   * endpoint, client, auth method, scope set, resource set, every token parameter and the token
   * type. The shared-store key adds the DPoP key's thumbprint and a fingerprint of the credential
   * (one keeper has one credential, so its own cache needs none).
   */
  #keyOf(scope: readonly string[], resource: readonly string[]): string {
    const p = this.#parts;
    return JSON.stringify([p.endpoint, p.clientId, p.authMethod, [...scope].sort(), [...resource].sort(), p.tokenParameters, p.tokenType]);
  }
}
