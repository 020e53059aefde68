/**
 * Option key for the clock tokenkeeper reads: an object whose `now()` returns milliseconds since
 * the epoch. Meant for tests; the default is `Date.now`.
 *
 * @example A clock a test moves by hand
 * ```ts
 * import { clock, createTokenKeeper } from "tokenkeeper";
 *
 * let now = Date.parse("2026-01-01T00:00:00Z");
 * const keeper = createTokenKeeper({ tokenEndpoint: "https://as.example/token", clientId: "my-client", clientSecret: "my-secret", [clock]: { now: () => now } });
 * now += 60_000; // a minute passes for the keeper
 * ```
 */
export const clock: unique symbol = Symbol("tokenkeeper.clock");

/**
 * Option key that once allowed plain `http:` on loopback hosts. Plain http to `localhost` and
 * literal loopback addresses (`127.0.0.0/8`, `[::1]`) is now allowed without it, for the token
 * endpoint, discovery and `keeper.fetch()`; a development server elsewhere needs
 * `dangerouslyAllowHttp`. Setting this key does nothing; it is kept so that code setting it still
 * compiles, and goes in a later version.
 *
 * @deprecated Loopback http needs no option: remove it.
 */
export const allowInsecureRequests: unique symbol = Symbol("tokenkeeper.allowInsecureRequests");

/** A clock: milliseconds since the epoch. */
export interface Clock {
  /** The current time in milliseconds since the epoch. */
  now(): number;
}
