// The fake-timers mode: while a scenario runs for a subject that reads the global Date (capability
// `fake_timers`), `Date.now()` and `new Date()` follow the scenario's clock. Timers stay real, as
// they do for subjects with an injected clock: a subject's backoff sleeps in real time while the
// scenario moves the clock. Runtime-neutral (no sinon: it would also fake the harness's timers).

const RealDate: DateConstructor = globalThis.Date;
const realNowFn: () => number = RealDate.now;
let installed = false;

/** Real time in ms since the epoch, whether or not a fake `Date` is installed. */
export function realNow(): number {
  return realNowFn.call(RealDate);
}

/** Whether a fake `Date` is installed right now. */
export function fakeDateInstalled(): boolean {
  return installed;
}

/**
 * Makes the global `Date` follow `clock` until the returned function is called: `Date.now()`,
 * `new Date()` and `Date()` read the clock; `new Date(value)`, `Date.UTC`, `Date.parse` and
 * `instanceof Date` behave as before. `Date.now` is also replaced on the original constructor, for
 * code that kept a reference to it. Code that copied `Date.now` itself, `performance.now()` and
 * timers keep real time.
 *
 * Only one fake `Date` can be installed at a time (it is global): scenarios that need it run one
 * after another.
 *
 * @param clock The scenario's clock.
 * @returns A function that restores the real `Date`.
 * @throws {Error} When a fake `Date` is already installed.
 * @example Time that moves only when the scenario says so
 * ```ts
 * const clock = createClock();
 * const restore = installFakeDate(clock);
 * clock.advance(60_000); // Date.now() is now one minute later
 * restore();
 * ```
 */
export function installFakeDate(clock: { now(): number }): () => void {
  if (installed) throw new Error("installFakeDate: a fake Date is already installed; scenarios in fake-timers mode must run one at a time");
  const now = (): number => clock.now();
  const FakeDate: DateConstructor = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [clock.now()], newTarget === FakeDate ? target : newTarget),
    apply: () => new RealDate(clock.now()).toString(),
    get: (target, key, receiver) => (key === "now" ? now : Reflect.get(target, key, receiver)),
  });
  installed = true;
  globalThis.Date = FakeDate;
  RealDate.now = now;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    globalThis.Date = RealDate;
    RealDate.now = realNowFn;
    installed = false;
  };
}
