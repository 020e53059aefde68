/** A clock scenarios move by hand; the fake server and the subject both read it. */
export interface FakeClock {
  now(): number;
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/** A clock that starts at the real current time (so JWT `iat` from either clock is close). */
export function createClock(start: number = Date.now()): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
