// src/lifetime.ts: a token's lifetime and its refresh windows, as arithmetic. That a keeper
// refreshes before expiry is graded by EXP-02; that a token without expires_in gets a finite
// lifetime, by EXP-04.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { lifetimeMs, refreshDeadlines } from "../src/lib/token.ts";

const test = suite("lifetime and refresh windows");
const policy = { refreshWindowMs: 300_000, expiryMarginMs: 30_000, defaultLifetimeMs: 300_000, maxLifetimeMs: 86_400_000 };
const issued = (lifetime: number) => ({ accessToken: "t", tokenType: "Bearer" as const, issuedAt: 1_000_000, expiresAt: 1_000_000 + lifetime, scope: undefined });

test("an absent expires_in means the default lifetime; a huge one is capped at maxLifetimeMs", () => {
  assert.is(lifetimeMs(undefined, policy), 300_000);
  assert.is(lifetimeMs(10 ** 12, policy), 86_400_000);
  assert.is(lifetimeMs(3600.5, policy), 3_600_500);
  assert.is(lifetimeMs(0, policy), 0);
});

test("a long-lived token gets the configured windows: hard at the margin, soft at the window plus up to 25 % jitter", () => {
  const lifetime = 3_600_000;
  const expiresAt = 1_000_000 + lifetime;
  assert.equal(refreshDeadlines(issued(lifetime), policy, 0), { softAt: expiresAt - 300_000, hardAt: expiresAt - 30_000 });
  const late = refreshDeadlines(issued(lifetime), policy, 0.999_999);
  assert.ok(expiresAt - late.softAt > 374_000 && expiresAt - late.softAt <= 375_000, `soft window ${expiresAt - late.softAt}`);
});

test("windows scale down for short lifetimes: a 6 s token has a 0.6 s hard and a 1.5-1.9 s soft window", () => {
  const expiresAt = 1_000_000 + 6_000;
  const early = refreshDeadlines(issued(6_000), policy, 0);
  const late = refreshDeadlines(issued(6_000), policy, 0.999_999);
  assert.is(expiresAt - early.hardAt, 600);
  assert.is(expiresAt - early.softAt, 1_500);
  assert.ok(expiresAt - late.softAt > 1_874 && expiresAt - late.softAt <= 1_875);
});

test("the soft window never ends after the hard one, even with no refresh window", () => {
  const { softAt, hardAt } = refreshDeadlines(issued(60_000), { ...policy, refreshWindowMs: 0 }, 0.5);
  assert.ok(softAt <= hardAt);
});

test.run();
