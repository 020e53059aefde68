// A flight as waiters in other incoming requests see it on Cloudflare Workers: they read its
// outcome and its owner's heartbeat, never its promise or its signal. workerd's rule is
// simulated here: once `elsewhere` is set, touching the promise or the signal throws, as workerd
// throws for I/O of another request. Runtime-neutral; no real time is waited except in the abort
// test.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Flight, type Heartbeat } from "../src/lib/flight.ts";
import { Token } from "../src/lib/token.ts";

const test = suite("flight waited for from another request");

const token = new Token({ accessToken: "tk1.flight", tokenType: "Bearer", expiresAt: Date.now() + 3_600_000, issuedAt: Date.now(), scope: undefined });

let elsewhere = false;
const touched = () => new Error("Cannot perform I/O on behalf of a different request (simulated)");

/** A promise that throws when awaited from "another request". */
class BoundPromise<T> extends Promise<T> {
  override then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    if (elsewhere) throw touched();
    return super.then(onFulfilled, onRejected);
  }
}

/** A flight started "in this request": its promise and signal throw once `elsewhere` is set. */
function started(heartbeat: Heartbeat | null) {
  elsewhere = false;
  let resolve!: (value: Token) => void;
  let reject!: (error: unknown) => void;
  const promise = new BoundPromise<Token>((res, rej) => ((resolve = res), (reject = rej)));
  const real = new AbortController();
  const controller = {
    get signal() {
      if (elsewhere) throw touched();
      return real.signal;
    },
    abort: (reason?: unknown) => real.abort(reason),
  } as AbortController;
  const flight = new Flight(() => promise, heartbeat, controller);
  elsewhere = true;
  return { flight, resolve: (t: Token) => ((elsewhere = false), resolve(t)), reject: (e: unknown) => ((elsewhere = false), reject(e)) };
}

/** A heartbeat the test drives by hand. */
function manualHeartbeat() {
  const state = { beat: () => {}, stopped: false };
  const heartbeat: Heartbeat = (beat) => ((state.beat = beat), () => void (state.stopped = true));
  return { heartbeat, state };
}

/**
 * A pause that takes no time: it counts the waited ms and runs `each` with the running total. A
 * wait past 600 s of pauses fails instead of spinning forever.
 */
function counted(each: (waitedMs: number) => void = () => {}) {
  const state = { waitedMs: 0, pauses: 0 };
  const pause = async (ms: number) => {
    if (state.waitedMs > 600_000) throw new Error("still waiting after 600 s of pauses");
    state.waitedMs += ms;
    state.pauses++;
    each(state.waitedMs);
  };
  return { pause, state };
}

test("a flight cannot be joined from another request, whose touch of its signal throws", () => {
  const { flight } = started(null);
  assert.is(flight.joinable(), false);
  elsewhere = false;
  assert.is(flight.joinable(), true);
});

test("a waiter from another request gets the flight's token, never touching its promise or signal", async () => {
  const { flight, resolve } = started(null);
  const { pause } = counted((waitedMs) => {
    if (waitedMs >= 100) resolve(token);
    elsewhere = true;
  });
  assert.is(await flight.wait(undefined, 60_000, pause), token);
});

test("a waiter rejects with the flight's own error", async () => {
  const { flight, reject } = started(null);
  const failure = new Error("invalid_client");
  const { pause } = counted(() => {
    reject(failure);
    elsewhere = true;
  });
  const error = await flight.wait(undefined, 60_000, pause).then(() => undefined, (e: unknown) => e);
  assert.is(error, failure);
});

test("a waiter keeps waiting while the owner beats, and gets the token however long that takes", async () => {
  const { heartbeat, state } = manualHeartbeat();
  const { flight, resolve } = started(heartbeat);
  const { pause } = counted((waitedMs) => {
    state.beat();
    if (waitedMs >= 5_000) resolve(token);
    elsewhere = true;
  });
  assert.is(await flight.wait(undefined, 60_000, pause), token);
});

test("a waiter gives up on a flight whose owner stopped beating, well before the bound", async () => {
  const { heartbeat, state } = manualHeartbeat();
  const { flight } = started(heartbeat);
  const { pause, state: waited } = counted((waitedMs) => {
    if (waitedMs < 1_000) state.beat();
  });
  assert.is(await flight.wait(undefined, 60_000, pause), undefined);
  assert.ok(waited.waitedMs >= 1_000 && waited.waitedMs < 60_000, `gave up after ${waited.waitedMs} ms of waits`);
});

test("without a heartbeat, a waiter gives up at the bound and not before", async () => {
  const { flight } = started(null);
  const { pause, state } = counted();
  assert.is(await flight.wait(undefined, 3_000, pause), undefined);
  assert.ok(state.waitedMs >= 3_000 && state.waitedMs < 3_100, `gave up after ${state.waitedMs} ms of waits`);
});

for (const letGo of ["abandon", "cancel"] as const) {
  test(`a flight its entry let go of (${letGo}) releases its waiters at their next look`, async () => {
    const { flight } = started(null);
    const { pause, state } = counted(() => flight[letGo]());
    assert.is(await flight.wait(undefined, 60_000, pause), undefined);
    assert.is(state.pauses, 1);
    assert.is(flight.live, false);
  });
}

test("a cancelled flight is void: its token is never published; an abandoned one's still is", () => {
  const abandoned = started(null).flight;
  abandoned.abandon();
  const cancelled = started(null).flight;
  cancelled.cancel();
  assert.is(abandoned.void, false);
  assert.is(cancelled.void, true);
  cancelled.abandon();
  assert.is(cancelled.void, true, "abandoning a cancelled flight leaves it void");
});

test("the heartbeat stops once the flight settles", async () => {
  const { heartbeat, state } = manualHeartbeat();
  const { flight, resolve } = started(heartbeat);
  assert.is(state.stopped, false);
  resolve(token);
  elsewhere = false;
  await flight.promise;
  assert.is(state.stopped, true);
});

test("aborting the caller's signal ends its wait with the signal's reason", async () => {
  const { flight } = started(null);
  const controller = new AbortController();
  const reason = new Error("caller gave up");
  const waiting = flight.wait(controller.signal, 60_000);
  controller.abort(reason);
  const error = await waiting.then(() => undefined, (e: unknown) => e);
  assert.is(error, reason);
});

test.run();
