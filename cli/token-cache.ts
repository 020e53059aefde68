// Node-only: the token cache of `tokenkeeper token`, so that `$(tokenkeeper token)` in a script
// sends one token request per token lifetime, not one per run. It is a file-backed TokenStore
// handed to the library as `sharedStore(file, { encryptionKey })`: the library's own store
// protocol makes the keys (hashes that name no client, with the credential's fingerprint), keeps
// the refresh windows and takes the lock, exactly as for a fleet sharing Redis. This file only
// keeps bytes: one JSON file, replaced atomically, bounded, and survived when corrupt.
//
// Tokens are encrypted (AES-GCM) under a key derived from the client secret or private key, which
// the cache does not hold; store keys are then HMACs under a key derived from it. Reading the file
// without the credential yields neither a token nor a way to test a guessed secret, and whoever
// has the credential can get a token anyway. A key kept beside the file would protect nothing:
// whoever can read one reads the other.
import { randomBytes } from "node:crypto";
import { lstat, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type CryptoKey, sharedStore, type SharedTokenStore, type TokenStore, type TokenStoreLock } from "../mod.ts";
import { foreignOwner, privateFolder, repairMode } from "./cache-folder.ts";

/** The cache file in the cache folder. */
export const CACHE_FILE = "tokens.json";
/** At most this many tokens are kept (the soonest to expire go first)... */
const MAX_ENTRIES = 32;
/** ...and the file stays under this size; a larger one is not read. */
const MAX_FILE_BYTES = 1024 * 1024;
/** A temporary file this old was left by a run that was killed while writing. */
const STALE_TEMPORARY_MS = 60_000;

interface Entry {
  readonly value: string;
  /** Epoch ms after which the entry is dropped. */
  readonly expiresAt: number;
}

const encoder = new TextEncoder();

/**
 * A {@link TokenStore} over one JSON file in a private folder, for one process at a time or many:
 * each write replaces the whole file through a temporary file and a rename, so a reader sees the
 * old file or the new one, never half of one (when two runs write at once, the last one wins and
 * the other's token is requested again next time). Expired entries are dropped at each write and
 * at most {@link MAX_ENTRIES} are kept. A file that is not a cache (corrupt, too large, a symbolic
 * link, not readable) is ignored with a warning and replaced at the next write. Its lock is a file
 * created exclusively (`O_EXCL`), best effort: a lock left by a killed run is taken over once it
 * has expired.
 */
export class FileTokenStore implements TokenStore {
  readonly #dir: string;
  readonly #file: string;
  readonly #warn: (message: string) => void;
  #warned = false;

  /**
   * @param dir The cache folder, already checked (see {@link openTokenCache}).
   * @param warn Where warnings go (a corrupt or loosely protected file).
   */
  constructor(dir: string, warn: (message: string) => void) {
    this.#dir = dir;
    this.#file = join(dir, CACHE_FILE);
    this.#warn = warn;
  }

  /** Reads a value; `undefined` when there is none or it expired. */
  async get(key: string): Promise<string | undefined> {
    if (key.endsWith(":lock")) return (await this.#readLock(key))?.id;
    const entry = (await this.#read()).get(key);
    return entry !== undefined && entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  /** Writes a value that expires in `ttlMs`. */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const entries = await this.#read();
    entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    await this.#write(entries);
  }

  /** Deletes a value. */
  async delete(key: string): Promise<void> {
    const entries = await this.#read();
    if (entries.delete(key)) await this.#write(entries);
  }

  /** Takes the lock file for `key` unless another run holds it and it has not expired. */
  async lock(key: string, ttlMs: number): Promise<TokenStoreLock | undefined> {
    const path = this.#lockPath(key);
    const id = randomBytes(12).toString("hex");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, "wx", 0o600);
        try {
          await handle.writeFile(`${id} ${Date.now() + ttlMs}`);
        } finally {
          await handle.close();
        }
        return { release: async () => ((await this.#readLock(key))?.id === id ? unlink(path).catch(() => {}) : undefined) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        // A lock file without its content yet is being written by its new holder.
        const expiresAt = (await this.#readLock(key))?.expiresAt ?? (await this.#modifiedAt(path)) + ttlMs;
        if (expiresAt > Date.now()) return undefined;
        await unlink(path).catch(() => {}); // expired: its holder was killed before it released it
      }
    }
    return undefined;
  }

  #lockPath(key: string): string {
    // Store keys are `tokenkeeper:` and 64 hex digits; anything else is not ours to name a file.
    const hex = /^tokenkeeper:([0-9a-f]{64}):lock$/.exec(key)?.[1];
    if (hex === undefined) throw new Error("token cache: unexpected lock key");
    return join(this.#dir, `${hex}.lock`);
  }

  async #readLock(key: string): Promise<{ id: string; expiresAt: number } | undefined> {
    const text = await readFile(this.#lockPath(key), "utf8").catch(() => undefined);
    const [id, expiresAt] = text?.split(" ") ?? [];
    return id && Number.isFinite(Number(expiresAt)) ? { id, expiresAt: Number(expiresAt) } : undefined;
  }

  /** The unexpired entries of the file; none, with a warning once, when it is not a cache file. */
  async #read(): Promise<Map<string, Entry>> {
    const entries = new Map<string, Entry>();
    let text: string;
    try {
      const stats = await lstat(this.#file);
      if (!stats.isFile()) return this.#unusable("is not a regular file"), entries;
      if (stats.size > MAX_FILE_BYTES) return this.#unusable(`is larger than ${MAX_FILE_BYTES} bytes`), entries;
      const foreign = foreignOwner(stats);
      if (foreign) return this.#unusable(foreign), entries;
      await repairMode(this.#file, stats, 0o600, (message) => this.#warnOnce(message));
      text = await readFile(this.#file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") this.#unusable(`cannot be read (${code ?? "error"})`);
      return entries;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return this.#unusable("is not JSON"), entries;
    }
    const { v, entries: stored } = (typeof data === "object" && data !== null ? data : {}) as { v?: unknown; entries?: unknown };
    if (v !== 1 || typeof stored !== "object" || stored === null) return this.#unusable("is not a token cache"), entries;
    const now = Date.now();
    for (const [key, entry] of Object.entries(stored as Record<string, Partial<Entry>>)) {
      if (typeof entry?.value === "string" && typeof entry.expiresAt === "number" && entry.expiresAt > now) entries.set(key, { value: entry.value, expiresAt: entry.expiresAt });
    }
    return entries;
  }

  /** Replaces the file: the newest entries that fit, written to a temporary file, then renamed. */
  async #write(entries: Map<string, Entry>): Promise<void> {
    const now = Date.now();
    let kept = [...entries].filter(([, entry]) => entry.expiresAt > now).sort(([, a], [, b]) => b.expiresAt - a.expiresAt).slice(0, MAX_ENTRIES);
    let text = serialise(kept);
    while (encoder.encode(text).length > MAX_FILE_BYTES && kept.length > 0) text = serialise((kept = kept.slice(0, -1)));
    const temporary = join(this.#dir, `.${CACHE_FILE}.${randomBytes(8).toString("hex")}.tmp`);
    try {
      const handle = await open(temporary, "wx", 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.#file);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
    await this.#sweep(now);
  }

  /** Deletes what killed runs left behind: temporary files and expired lock files. */
  async #sweep(now: number): Promise<void> {
    for (const name of await readdir(this.#dir).catch(() => [] as string[])) {
      const lock = /^([0-9a-f]{64})\.lock$/.exec(name)?.[1];
      if (lock === undefined && !/^\.tokens\.json\.[0-9a-f]{16}\.tmp$/.test(name)) continue;
      if (((lock && (await this.#readLock(`tokenkeeper:${lock}:lock`))?.expiresAt) || (await this.#modifiedAt(join(this.#dir, name))) + STALE_TEMPORARY_MS) < now) {
        await unlink(join(this.#dir, name)).catch(() => {});
      }
    }
  }

  /** When a file was last written; now when it is gone. */
  async #modifiedAt(path: string): Promise<number> {
    return (await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now();
  }

  #unusable(why: string): void {
    this.#warnOnce(`the token cache file ${this.#file} ${why}: it is ignored and will be replaced`);
  }

  #warnOnce(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#warn(message);
  }
}

function serialise(entries: readonly [string, Entry][]): string {
  return `${JSON.stringify({ v: 1, entries: Object.fromEntries(entries) })}\n`;
}

/**
 * The AES-GCM key tokens are sealed with in the cache: HKDF-SHA-256 of the credential (the client
 * secret, or the private key file's text). Never stored: each run derives it again.
 *
 * @param credential The secret or the private key's text.
 * @returns A non-extractable AES-GCM key for encrypt and decrypt.
 */
export async function cacheEncryptionKey(credential: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(credential), "HKDF", false, ["deriveKey"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: encoder.encode("tokenkeeper command token cache"), info: encoder.encode("v1") };
  return crypto.subtle.deriveKey(params, material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/**
 * Opens the token cache in `dir` for a keeper's `store` option, after making the folder or
 * checking its owner and mode.
 *
 * @param dir The cache folder (see `cacheFolder()`).
 * @param credential The client secret or the private key's text, the encryption key's material.
 * @param warn Where warnings go.
 * @returns The store, or `undefined` (after a warning) when the folder cannot be used.
 */
export async function openTokenCache(dir: string, credential: string, warn: (message: string) => void): Promise<SharedTokenStore | undefined> {
  if (!(await privateFolder(dir, warn))) return undefined;
  return sharedStore(new FileTokenStore(dir, warn), {
    encryptionKey: await cacheEncryptionKey(credential),
    // A local disk answers in milliseconds; a slow one (a network home folder) should not make a
    // write count as failed while it goes on after the command has printed and exited.
    operationTimeoutMs: 5_000,
  });
}
