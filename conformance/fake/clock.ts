// The scenario clock: it runs with real time (a fake that never moves lets a library that caches
// forever, or one that reads the wrong clock, pass by accident), and scenarios jump it forward.
import { realNow } from "./date.ts";

/** A clock that runs with real time and that scenarios move forward by hand; server and subject read it. */
export interface FakeClock {
  now(): number;
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/**
 * A clock that starts at `start` (by default the real current time, so JWT `iat`s from either
 * clock verify) and runs at the speed of real time, plus every {@link FakeClock.advance}.
 */
export function createClock(start: number = realNow()): FakeClock {
  const origin = realNow();
  let jumped = 0;
  return {
    now: () => start + jumped + (realNow() - origin),
    advance: (ms) => {
      jumped += ms;
    },
  };
}

/** A view of `clock` that is `offsetMs` ahead (negative: behind): a server whose clock is skewed. */
export function skewed(clock: FakeClock, offsetMs: number): FakeClock {
  return { now: () => clock.now() + offsetMs, advance: (ms) => clock.advance(ms) };
}
