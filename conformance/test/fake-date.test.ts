import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createClock, installFakeDate, realNow, runSuite, scenarios, type Subject } from "@tokenkeeper/conformance";
import { tokenkeeperFakeTimers } from "../subjects/tokenkeeper-fake-timers.ts";
import { nodeHost } from "../node/host.ts";

const test = suite("fake-timers mode");
const RealDate = Date;
const host = nodeHost();
const pick = (...ids: string[]) => scenarios.filter((s) => ids.includes(s.id));

test("installFakeDate() makes Date.now(), new Date() and Date() follow the clock until restored", () => {
  // A clock that moves only when the test moves it: createClock() runs with real time, and a
  // millisecond passing between two lines would fail the exact checks.
  let now = Date.UTC(2030, 0, 1);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const restore = installFakeDate(clock);
  try {
    assert.is(Date.now(), Date.UTC(2030, 0, 1));
    clock.advance(60_000);
    assert.is(new Date().getTime(), Date.UTC(2030, 0, 1, 0, 1));
    assert.match(Date(), /2030/);
    assert.is(new Date(0).getTime(), 0, "an explicit value is kept");
    assert.ok(new Date() instanceof Date);
    assert.is(Date.UTC(2000, 0, 1), 946684800000, "static methods still work");
  } finally {
    restore();
  }
  assert.ok(Math.abs(Date.now() - realNow()) < 1000, "the real Date is back");
});

test("installFakeDate() refuses a second fake Date while one is installed", () => {
  const restore = installFakeDate(createClock());
  try {
    assert.throws(() => installFakeDate(createClock()), /already installed/);
  } finally {
    restore();
  }
});

test("a library that reads the global Date gets every clock scenario graded, and passes where the reference passes", async () => {
  const clockScenarios = scenarios.filter((s) => s.requires?.subject?.includes("clock"));
  assert.ok(clockScenarios.length >= 13, `${clockScenarios.length} clock scenarios`);
  const results = await runSuite(tokenkeeperFakeTimers, clockScenarios, host);
  for (const r of results) {
    assert.ok(r.fakeTimers, `${r.id} ran on fake timers`);
    assert.is(r.status, "pass", `${r.id}: ${r.evidence}`);
  }
});

test("without the mode, the same library claiming an injected clock is caught (AUTH-08 and CONC-01 warn)", async () => {
  const pretending: Subject = { ...tokenkeeperFakeTimers, name: "pretends-clock", capabilities: [...tokenkeeperFakeTimers.capabilities.filter((c) => c !== "fake_timers"), "clock"] };
  const results = await runSuite(pretending, pick("AUTH-08", "CONC-01"), host);
  assert.is(results[0]!.status, "warn", results[0]!.evidence);
  assert.is.not(results[1]!.status, "pass", results[1]!.evidence);
  assert.not.ok(results.some((r) => r.fakeTimers));
});

test("in fake-timers mode a library that never lets a token expire is caught (AUTH-08 and CONC-01 warn)", async () => {
  const forever: Subject = {
    ...tokenkeeperFakeTimers,
    name: "caches-forever",
    async create(env) {
      const inner = await tokenkeeperFakeTimers.create(env);
      let first: ReturnType<typeof inner.getToken> | undefined;
      return { ...inner, getToken: (call) => (call?.forceRefresh ? inner.getToken(call) : (first ??= inner.getToken(call))) };
    },
  };
  const results = await runSuite(forever, pick("AUTH-08", "CONC-01"), host);
  assert.ok(results.every((r) => r.fakeTimers));
  assert.is(results[0]!.status, "warn", results[0]!.evidence);
  assert.is.not(results[1]!.status, "pass", results[1]!.evidence);
});

test("fake-timers scenarios run after the others and one at a time", async () => {
  const order: string[] = [];
  const tracing: Subject = {
    ...tokenkeeperFakeTimers,
    create(env) {
      order.push(globalThis.Date === RealDate ? "real" : "fake");
      return tokenkeeperFakeTimers.create(env);
    },
  };
  const results = await runSuite(tracing, pick("EXP-01", "RESP-01", "EXP-05", "REQ-03"), host, { concurrency: 4 });
  assert.equal(results.map((r) => r.id), ["REQ-03", "RESP-01", "EXP-01", "EXP-05"], "results keep scenario order");
  assert.ok(order.includes("fake") && order.lastIndexOf("real") < order.indexOf("fake"), order.join(","));
});

test.run();
