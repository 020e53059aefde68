// Retries of token requests: backoff, Retry-After and the cooldown, as arithmetic. Which token endpoint
// answers are retried, and that Retry-After is honoured on the wire, is graded by ERR-01, ERR-04,
// ERR-05 and FAULT-05.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { backoffMs, cooldownMs, isRetryableStatus, parseRetryAfter, retry } from "../src/lib/retry.ts";

const test = suite("retry");
const policy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 10_000, cooldownAfterFailures: 3, cooldownMs: 1_000, totalTimeoutMs: 30_000 };

test("backoff is full-jitter exponential, capped by maxDelayMs", () => {
  assert.is(backoffMs(1, policy, undefined, 0.999), 249);
  assert.is(backoffMs(3, policy, undefined, 0.5), 500);
  assert.is(backoffMs(20, policy, undefined, 0.999), 9_990);
  assert.is(backoffMs(2, policy, undefined, 0), 0);
});

test("a server's Retry-After replaces the backoff, capped by maxDelayMs", () => {
  assert.is(backoffMs(1, policy, 3_000, 0.9), 3_000);
  assert.is(backoffMs(1, { ...policy, maxDelayMs: 5 }, 3_000, 0.9), 5);
});

test("Retry-After is read as delay-seconds or an HTTP-date; anything else is ignored", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.is(parseRetryAfter("3", now), 3_000);
  assert.is(parseRetryAfter(" 0 ", now), 0);
  assert.is(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now), 5_000);
  assert.is(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
  assert.is(parseRetryAfter("soon", now), undefined);
  assert.is(parseRetryAfter(null, now), undefined);
});

test("the cooldown starts after cooldownAfterFailures failures and doubles, up to a minute", () => {
  assert.equal([1, 2, 3, 4, 5].map((n) => cooldownMs(n, policy)), [0, 0, 1_000, 2_000, 4_000]);
  assert.is(cooldownMs(30, policy), 60_000);
});

test("408, 429 and 5xx are retryable; other statuses are not", () => {
  assert.equal([400, 401, 403, 404, 408, 429, 500, 503, 599, 600].map(isRetryableStatus), [false, false, false, false, true, true, true, true, true, false]);
});

test("retry() stops when delayMs says so, after maxAttempts, or when its signal aborts", async () => {
  let calls = 0;
  const fail = async () => {
    calls++;
    throw new Error("no");
  };
  await retry(fail, { maxAttempts: 5, delayMs: (n) => (n < 2 ? 0 : undefined) }).catch(() => {});
  assert.is(calls, 2, "delayMs ended it");
  calls = 0;
  await retry(fail, { maxAttempts: 3, delayMs: () => 0 }).catch(() => {});
  assert.is(calls, 3, "maxAttempts ended it");
  calls = 0;
  await retry(fail, { maxAttempts: 3, delayMs: () => 0, signal: AbortSignal.abort() }).catch(() => {});
  assert.is(calls, 1, "the aborted signal ended it");
  assert.is(await retry(async (n) => (n < 3 ? fail() : "ok"), { maxAttempts: 3, delayMs: () => 0 }), "ok");
});

test.run();
