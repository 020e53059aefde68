/**
 * An access token, frozen: every caller gets the same object, and none can change what another
 * one (or `keeper.fetch()`) sends. `accessToken` is read through a getter, so the value shows in
 * no copy, inspector or serialisation of the object: `{ ...token }`, `structuredClone`,
 * `JSON.stringify`, `console.table`, `util.inspect`, `console.log` and `Deno.inspect` leave it out
 * or show `[redacted]`. Read `token.accessToken` (or destructure it) where the value is needed.
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

/** The timing options that turn a token lifetime into deadlines. */
export interface LifetimePolicy {
  readonly refreshWindowMs: number;
  readonly expiryMarginMs: number;
  readonly defaultLifetimeMs: number;
  readonly maxLifetimeMs: number;
}

/** When a cached token stops being served at once (`softAt`) and stops being served at all (`hardAt`). */
export interface RefreshDeadlines {
  readonly softAt: number;
  readonly hardAt: number;
}

/**
 * The lifetime in ms of a token from the wire `expires_in` (seconds, already validated as a
 * non-negative number or absent): the default when absent, capped by `maxLifetimeMs`.
 */
export function lifetimeMs(expiresIn: number | undefined, policy: LifetimePolicy): number {
  if (expiresIn === undefined) return policy.defaultLifetimeMs;
  return Math.min(Math.floor(expiresIn * 1000), policy.maxLifetimeMs);
}

/**
 * The soft and hard deadlines of a token. Both windows shrink for short lifetimes (a tenth of
 * the lifetime for the hard window, a quarter for the soft one) and the soft one gets up to 25 %
 * random extension, so a fleet does not refresh in lockstep.
 *
 * @param record The token, with its issue and expiry times.
 * @param policy The timing options.
 * @param random A number in [0, 1).
 */
export function refreshDeadlines(record: TokenRecord, policy: LifetimePolicy, random: number): RefreshDeadlines {
  const lifetime = Math.max(0, record.expiresAt - record.issuedAt);
  const hard = Math.min(policy.expiryMarginMs, lifetime * 0.1);
  const soft = Math.max(hard, Math.min(policy.refreshWindowMs, lifetime * 0.25) * (1 + 0.25 * random));
  return { softAt: record.expiresAt - soft, hardAt: record.expiresAt - hard };
}

const redactedValue = "[redacted]";

/**
 * An issued token, frozen. The value lives in a private field behind a getter on the prototype:
 * no own property holds it, so spreads, `structuredClone`, `console.table` and inspectors that
 * list own properties never see it, and `JSON.stringify`, `util.inspect`, `console.log` and
 * `Deno.inspect` show `[redacted]`. The cache hands the same object to every caller.
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
    Object.freeze(this);
  }

  /** The token, as the token endpoint issued it. */
  get accessToken(): string {
    return this.#accessToken;
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
