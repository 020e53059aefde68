import { parseChallenges, tokenChallenge } from "./www-authenticate.ts";

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

/** What `keeper.fetch()` remembers of the tokens APIs rejected; see {@link tokenRejections}. */
export interface TokenRejections {
  /** Notes a token about to be sent: the first other one after a drop is the dropped one's replacement. */
  served(token: object): void;
  /** Judges a 401 about `token` at `now`; a `refresh` verdict records the drop the caller makes. */
  rejected(token: object, now: number): Verdict;
}

/**
 * What `keeper.fetch()` remembers of the tokens APIs rejected: a few tokens per keeper, nothing
 * per request. A token that a 401 made the keeper drop has a replacement, the first other token
 * served after it; when that replacement is rejected too within {@link rejectedTokenHoldMs} of the
 * drop, the API rejects new tokens as well, and the replacement is held: its 401s go back to the
 * caller, whatever else succeeds meanwhile (another API, another path), until the hold ends.
 *
 * The hold belongs to the token, not to the last response: a success elsewhere never lifts it.
 * A replacement rejected only after the window (revoked later) is dropped and replaced in turn.
 * Tokens are told apart as issued (the cache's token objects), so a token endpoint that issues
 * the same value again is seen issuing a replacement.
 */
export function tokenRejections(): TokenRejections {
  // Each time is read only beside its token, so neither needs a start value of its own.
  let dropped: object | undefined;
  let droppedAt = 0;
  let replacement: object | undefined;
  let held: object | undefined;
  let heldUntil = 0;
  return {
    served(token) {
      if (dropped !== undefined && replacement === undefined && token !== dropped) replacement = token;
    },
    rejected(token, now) {
      // Dropped already because of an earlier 401 (concurrent calls): its replacement is on the way.
      if (token === dropped) return "resend";
      if (token === held && now < heldUntil) return "held";
      if (token === replacement && now < droppedAt + rejectedTokenHoldMs) {
        held = token;
        heldUntil = now + rejectedTokenHoldMs;
        return "hold";
      }
      dropped = token;
      droppedAt = now;
      replacement = undefined;
      return "refresh";
    },
  };
}
