/**
 * The 401s of `keeper.fetch()`: which ones are about the token (RFC 6750 §3.1, read from the
 * `WWW-Authenticate` challenges, RFC 9110 §11.6.1), and what `keeper.fetch()` remembers of the
 * tokens APIs rejected (the hold).
 *
 * @module
 */

/** One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface Challenge {
  /** The auth scheme, lowercased (`bearer`, `dpop`, `basic`, …). */
  readonly scheme: string;
  /** Auth parameters, names lowercased, quoted values unescaped. */
  readonly parameters: Readonly<Record<string, string>>;
}

const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const schemeRE = new RegExp(`^[,\\s]*(${token})(?=$|[\\s,])\\s*`);
const paramRE = new RegExp(`^(${token})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\[\\s\\S])*)"|(${token}))\\s*(?:,\\s*|$)`);
const token68RE = /^[A-Za-z0-9\-._~+/]+=*\s*(?:,\s*|$)/;
const maxHeaderLength = 8_192;

/**
 * Parses a `WWW-Authenticate` header into challenges. Never throws: malformed input yields the
 * challenges parsed before the damage (possibly none). Parameters of a challenge are those that
 * follow its scheme up to the next scheme.
 *
 * @param header The header value, or `null`.
 * @returns The challenges, in order.
 */
export function parseChallenges(header: string | null): Challenge[] {
  const challenges: Challenge[] = [];
  if (header === null) return challenges;
  let rest = header.slice(0, maxHeaderLength);
  while (rest.length > 0) {
    const scheme = schemeRE.exec(rest);
    if (scheme === null) break;
    rest = rest.slice(scheme[0].length);
    const parameters: Record<string, string> = Object.create(null);
    for (;;) {
      const param = paramRE.exec(rest);
      if (param !== null) {
        parameters[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\([\s\S])/g, "$1") : param[3]!;
        rest = rest.slice(param[0].length);
        continue;
      }
      const token68 = Object.keys(parameters).length === 0 ? token68RE.exec(rest) : null;
      if (token68 !== null && !new RegExp(`^${token}\\s*=\\s*[^=]`).test(rest)) rest = rest.slice(token68[0].length);
      break;
    }
    challenges.push({ scheme: scheme[1]!.toLowerCase(), parameters });
  }
  return challenges;
}

/** The first `Bearer` or `DPoP` challenge's parameters, if any. */
export function tokenChallenge(challenges: readonly Challenge[]): Readonly<Record<string, string>> | undefined {
  return challenges.find((c) => c.scheme === "bearer" || c.scheme === "dpop")?.parameters;
}

/**
 * How long `keeper.fetch()` hands `401` responses back without another token request once the
 * token fetched because of a 401 was rejected too: 30 seconds. An API that rejects every token then
 * costs one token request per 30 s instead of one per call; a `token_rejected_again` event marks
 * the start.
 */
export const rejectedTokenHoldMs = 30_000;

/**
 * RFC 6750 §3.1: a 401 whose Bearer or DPoP challenge says `invalid_token` or names no error, or
 * that has no challenge at all. One that challenges only other schemes is not about the token.
 */
export function rejectsToken(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenges = parseChallenges(response.headers.get("www-authenticate"));
  const token = tokenChallenge(challenges);
  if (token === undefined) return challenges.length === 0;
  return token["error"] === undefined || token["error"] === "invalid_token";
}

/**
 * What to do with a 401 about a token: drop it and send again with a new one (`refresh`), send
 * again with the one that already replaced it (`resend`), or hand the 401 back: a hold of
 * {@link rejectedTokenHoldMs} starts now (`hold`) or goes on (`held`).
 */
export type Verdict = "refresh" | "resend" | "hold" | "held";

/**
 * What `keeper.fetch()` remembers of the tokens APIs rejected: a few tokens per keeper, nothing
 * per request, and nothing at all until the first 401. A token that a 401 made the keeper drop has
 * a replacement, the first other token served after it; when that replacement is rejected too
 * within {@link rejectedTokenHoldMs} of the drop, the API rejects new tokens as well, and the
 * replacement is held: its 401s go back to the caller, whatever else succeeds meanwhile (another
 * API, another path), until the hold ends.
 *
 * The hold belongs to the token, not to the last response: a success elsewhere never lifts it.
 * A replacement rejected only after the window (revoked later) is dropped and replaced in turn.
 * Tokens are told apart as issued (the cache's token objects), so a token endpoint that issues
 * the same value again is seen issuing a replacement.
 */
export class TokenRejections {
  // Each time is read only beside its token, so neither needs a start value of its own.
  #dropped: object | undefined;
  #droppedAt = 0;
  #replacement: object | undefined;
  #held: object | undefined;
  #heldUntil = 0;

  /** Notes a token about to be sent: the first other one after a drop is the dropped one's replacement. */
  served(token: object): void {
    if (this.#dropped !== undefined && this.#replacement === undefined && token !== this.#dropped) this.#replacement = token;
  }

  /** Judges a 401 about `token` at `now`; a `refresh` verdict records the drop the caller makes. */
  rejected(token: object, now: number): Verdict {
    // Dropped already because of an earlier 401 (concurrent calls): its replacement is on the way.
    if (token === this.#dropped) return "resend";
    if (token === this.#held && now < this.#heldUntil) return "held";
    if (token === this.#replacement && now < this.#droppedAt + rejectedTokenHoldMs) {
      this.#held = token;
      this.#heldUntil = now + rejectedTokenHoldMs;
      return "hold";
    }
    this.#dropped = token;
    this.#droppedAt = now;
    this.#replacement = undefined;
    return "refresh";
  }
}
