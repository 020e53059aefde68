/**
 * An access token. `accessToken` is a plain property, so copies keep it; `JSON.stringify`,
 * `util.inspect` and `console.log` of the token itself show `[redacted]`.
 */
export interface AccessToken {
  /** The token, as the token endpoint issued it. */
  readonly accessToken: string;
  /** `Bearer`, or `DPoP` for a DPoP-bound token. */
  readonly tokenType: "Bearer" | "DPoP";
  /** When the token expires, in milliseconds since the epoch (counted from when it was requested). */
  readonly expiresAt: number;
  /** The granted scope: as returned, or as requested when the response has none. */
  readonly scope: string | undefined;
}

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

/** RFC 6749 Appendix A.12 (VSCHAR) without space: any other token must never reach a header. */
const accessTokenChars = /^[\x21-\x7E]+$/;

/** Whether `value` may be sent as an access token (`%x21-7E`, as a Bearer header needs). */
export function isAccessTokenValue(value: unknown): value is string {
  return typeof value === "string" && accessTokenChars.test(value);
}

const redactedValue = "[redacted]";

/**
 * An issued token. `accessToken` is an own property, so `{ ...token }` and `structuredClone(token)`
 * keep it; `JSON.stringify`, `util.inspect`, `console.log` and `Deno.inspect` of the token itself
 * show `[redacted]` instead.
 */
export class Token implements AccessToken {
  readonly accessToken: string;
  readonly tokenType: "Bearer" | "DPoP";
  readonly expiresAt: number;
  readonly scope: string | undefined;

  constructor(record: TokenRecord) {
    this.accessToken = record.accessToken;
    this.tokenType = record.tokenType;
    this.expiresAt = record.expiresAt;
    this.scope = record.scope;
  }

  /** A serialisation without the token value. */
  toJSON(): { accessToken: string; tokenType: string; expiresAt: number; scope: string | undefined } {
    return { accessToken: redactedValue, tokenType: this.tokenType, expiresAt: this.expiresAt, scope: this.scope };
  }
}

// What Node, Bun and console.log show, and what Deno shows: the token without its value.
Object.defineProperty(Token.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: Token) {
    return this.toJSON();
  },
});
Object.defineProperty(Token.prototype, Symbol.for("Deno.customInspect"), {
  value(this: Token) {
    return `Token ${JSON.stringify(this)}`;
  },
});
