import type { AccessToken } from "./types.ts";

/** The fields of a token as kept in the cache and in a shared store. */
export interface TokenRecord {
  readonly accessToken: string;
  readonly tokenType: "Bearer" | "DPoP";
  /** Epoch ms: when the token endpoint request was sent plus the (capped) lifetime. */
  readonly expiresAt: number;
  /** Epoch ms: when the token endpoint request was sent. */
  readonly issuedAt: number;
  readonly scope: string | undefined;
}

/**
 * An issued token. The value sits in a private field behind a prototype getter, so neither
 * `JSON.stringify` nor `util.inspect` nor `Deno.inspect` ever shows it.
 */
export class Token implements AccessToken {
  readonly #accessToken: string;
  readonly tokenType: "Bearer" | "DPoP";
  readonly expiresAt: number;
  readonly scope: string | undefined;

  constructor(record: TokenRecord) {
    this.#accessToken = record.accessToken;
    this.tokenType = record.tokenType;
    this.expiresAt = record.expiresAt;
    this.scope = record.scope;
  }

  /** The token, as issued. */
  get accessToken(): string {
    return this.#accessToken;
  }

  /** A serialisation without the token value. */
  toJSON(): { tokenType: string; expiresAt: number; scope: string | undefined; accessToken: string } {
    return { tokenType: this.tokenType, expiresAt: this.expiresAt, scope: this.scope, accessToken: "[redacted]" };
  }
}
