import type { CryptoKey } from "./types.ts";
import { isAccessTokenValue, type TokenRecord } from "./token.ts";

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();

/** Prefix of a sealed (encrypted) stored value: version 1, then base64 IV and ciphertext. */
const SEALED = "tk1.";

/**
 * The store key for a cache key and its key material: `tokenkeeper:` and, in hex, the SHA-256 of
 * `material`, or its HMAC-SHA-256 under `macKey` (see {@link storeMacKey}) when the store has an
 * encryption key. No endpoint, client id or scope appears in the store; with `macKey`, nobody
 * without the encryption key can compute a store key, so a store reader cannot test a guess.
 *
 * @param material The keeper's cache key with its key material (DPoP thumbprint, credential fingerprint).
 * @param macKey The store's HMAC key, or `undefined` for a plain hash.
 * @returns `tokenkeeper:` followed by 64 hex digits.
 */
export async function storeKeyFor(material: string, macKey?: CryptoKey): Promise<string> {
  return `tokenkeeper:${await digestHex(material, macKey)}`;
}

/**
 * The SHA-256 of `text`, or its HMAC-SHA-256 under `macKey`, in hex.
 *
 * @param text What to hash.
 * @param macKey An HMAC key for `sign`, or `undefined` for a plain hash.
 * @returns 64 hex digits.
 */
export async function digestHex(text: string, macKey?: CryptoKey): Promise<string> {
  const data = encoder.encode(text);
  const digest = new Uint8Array(macKey === undefined ? await crypto.subtle.digest("SHA-256", data) : await crypto.subtle.sign("HMAC", macKey, data));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** 32 bytes, so the HMAC key is 256 bits. */
const MAC_LABEL = "tokenkeeper store key HMAC v1...";

/**
 * The HMAC-SHA-256 key a store's keys are made with when it has an encryption key: a key derived
 * from the encryption key (which may be non-extractable) by AES-GCM-encrypting a fixed 32-byte
 * label under the all-zero nonce. Only that one plaintext is ever encrypted under that nonce
 * (sealed values take random 96-bit nonces), and the result is never stored or shown, so it is a
 * secret the fleet shares without another key to distribute.
 *
 * @param encryptionKey The store's AES-GCM key.
 * @returns An HMAC key for `sign`.
 */
export async function storeMacKey(encryptionKey: CryptoKey): Promise<CryptoKey> {
  const stream = await crypto.subtle.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, encryptionKey, encoder.encode(MAC_LABEL));
  return crypto.subtle.importKey("raw", stream.slice(0, 32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/**
 * Serialises a token record for a store: JSON, or, with `key`, AES-GCM ciphertext under a random
 * 96-bit IV with the store key as additional data (a value copied to another key does not open).
 *
 * @param record The token record.
 * @param storeKey The hashed store key, bound to the ciphertext.
 * @param key An AES-GCM key with the `encrypt` usage, or `undefined` for plain JSON.
 * @returns The value to write.
 */
export async function sealRecord(record: TokenRecord, storeKey: string, key: CryptoKey | undefined): Promise<string> {
  const json = JSON.stringify({
    v: 1,
    accessToken: record.accessToken,
    tokenType: record.tokenType,
    expiresAt: record.expiresAt,
    issuedAt: record.issuedAt,
    scope: record.scope ?? null,
  });
  if (key === undefined) return json;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const params = { name: "AES-GCM", iv, additionalData: encoder.encode(storeKey) };
  const sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, encoder.encode(json)));
  return `${SEALED}${toBase64(iv)}.${toBase64(sealed)}`;
}

/**
 * Reads a stored value back into a token record.
 *
 * @param value The stored value.
 * @param storeKey The hashed store key the value was read from.
 * @param key The AES-GCM key, or `undefined` when tokens are stored as JSON.
 * @returns The record.
 * @throws {Error} When the value does not decrypt (wrong key, other key, tampering), is plain
 *   JSON while a key is set (it could have been planted), or is not a token record.
 */
export async function openRecord(value: string, storeKey: string, key: CryptoKey | undefined): Promise<TokenRecord> {
  let json = value;
  if (key !== undefined) {
    if (!value.startsWith(SEALED)) throw new Error("stored token is not encrypted while an encryption key is set");
    const [iv, sealed, extra] = value.slice(SEALED.length).split(".");
    if (iv === undefined || sealed === undefined || extra !== undefined) throw new Error("stored token is malformed");
    const params = { name: "AES-GCM", iv: fromBase64(iv), additionalData: encoder.encode(storeKey) };
    try {
      json = decoder.decode(await crypto.subtle.decrypt(params, key, fromBase64(sealed)));
    } catch {
      throw new Error("stored token does not decrypt with the encryption key");
    }
  } else if (value.startsWith(SEALED)) {
    throw new Error("stored token is encrypted and no encryption key is set");
  }
  return parseRecord(json);
}

function parseRecord(json: string): TokenRecord {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error("stored token is not JSON");
  }
  if (typeof data !== "object" || data === null) throw new Error("stored token is not an object");
  const { v, accessToken, tokenType, expiresAt, issuedAt, scope } = data as Record<string, unknown>;
  if (
    v !== 1 || !isAccessTokenValue(accessToken) ||
    (tokenType !== "Bearer" && tokenType !== "DPoP") ||
    !Number.isFinite(expiresAt) || !Number.isFinite(issuedAt) ||
    (scope !== null && typeof scope !== "string")
  ) {
    throw new Error("stored token has an unexpected shape");
  }
  return { accessToken, tokenType, expiresAt: expiresAt as number, issuedAt: issuedAt as number, scope: scope ?? undefined };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error("stored token is malformed");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
