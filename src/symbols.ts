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
 * Option key that allows plain `http:` URLs for the token endpoint, the issuer and
 * `keeper.fetch()`, but only on loopback hosts (`localhost` itself and literal loopback addresses:
 * `127.0.0.0/8`, `[::1]`). For local development and tests; a credential must never cross a
 * network in the clear. A development server elsewhere needs `dangerouslyAllowHttp`.
 *
 * @example A token server on localhost
 * ```ts
 * import { allowInsecureRequests, createTokenKeeper } from "tokenkeeper";
 *
 * createTokenKeeper({ tokenEndpoint: "http://127.0.0.1:8080/token", clientId: "my-client", clientSecret: "my-secret", [allowInsecureRequests]: true });
 * ```
 */
export const allowInsecureRequests: unique symbol = Symbol("tokenkeeper.allowInsecureRequests");

/** A clock: milliseconds since the epoch. */
export interface Clock {
  /** The current time in milliseconds since the epoch. */
  now(): number;
}
