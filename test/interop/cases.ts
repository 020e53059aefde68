// The interop cases, written once and registered on each server's suite: what tokenkeeper must do
// against an authorization server it did not write, through the public API only.
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import {
  type ClientAuthentication,
  clientSecretBasic,
  clientSecretJwt,
  clientSecretPost,
  createTokenKeeper,
  isTokenKeeperError,
  privateKeyJwt,
  type TokenKeeper,
} from "../../mod.ts";
import type { Fixture, SecretClient } from "./fixture.ts";
import { type KeeperClient, keeperOptions } from "./keeper-options.ts";
import { renderings, spellings } from "./leaks.ts";
import { type Recorder, record } from "./recorder.ts";
import type { LazyServer } from "./server.ts";

/** The cases a server may not support. */
export type OptionalCase = "basicSpecial" | "privateKeyJwt" | "clientSecretJwt";

/** How long the refresh case keeps calling, and how often each of its callers calls. */
const SOAK_MS = 12_000;
const CALLERS = 3;
const PAUSE_MS = 50;

interface ResourceAnswer {
  client_id?: string;
  scope?: string;
}

/**
 * The resource requests the server refused, by when they were sent in their token's life (ms before
 * `expires_in` ran out). `expires_in` counts whole seconds, and servers that keep times in whole
 * seconds (oidc-provider, Authlib's token mixin) end a token up to 1 s before it says: a token
 * the keeper sends in its last second, while its refresh is in flight, may be refused.
 */
function rejectionsOnTheWire(wire: Recorder): { late: number[]; early: number[]; lastSecond: number[] } {
  const deadlines = new Map<string | null, number>();
  for (const e of wire.tokenRequests()) {
    if (e.issued?.expiresIn !== undefined) deadlines.set(`Bearer ${e.issued.accessToken}`, e.sentAt + e.issued.expiresIn * 1000);
  }
  const out = { late: [] as number[], early: [] as number[], lastSecond: [] as number[] };
  for (const e of wire.resourceRequests().filter((r) => r.status !== 200)) {
    const left = (deadlines.get(e.authorization) ?? Number.NaN) - e.sentAt;
    (left > 1_000 || Number.isNaN(left) ? out.early : left <= 0 ? out.late : out.lastSecond).push(left);
  }
  return out;
}

/** Runs `body` with a keeper for `client` on a fresh recorder, and closes the keeper after. */
async function withKeeper<T>(lazy: LazyServer, client: KeeperClient, body: (keeper: TokenKeeper, wire: Recorder) => Promise<T>): Promise<T> {
  const server = await lazy.get();
  const wire = record(server.fetch, server.tokenEndpoint);
  const keeper = createTokenKeeper(keeperOptions(server, client, wire.fetch));
  try {
    return await body(keeper, wire);
  } finally {
    await keeper.close();
  }
}

/** Fetches `path` through the keeper and returns the resource's answer, asserting a 200. */
async function use(keeper: TokenKeeper, path: string): Promise<ResourceAnswer> {
  const response = await keeper.fetch(path);
  const text = await response.text();
  assert.is(response.status, 200, `GET ${path}: ${response.status} ${response.headers.get("www-authenticate") ?? ""} ${text}`);
  return JSON.parse(text) as ResourceAnswer;
}

/** Asserts that `client` gets a token with `clientAuth` and that the server accepts it as that client's. */
async function tokenAccepted(lazy: LazyServer, clientId: string, clientAuth: ClientAuthentication): Promise<void> {
  await withKeeper(lazy, { clientId, clientAuth }, async (keeper, wire) => {
    const answer = await use(keeper, "/resource");
    assert.is(answer.client_id, clientId, "the server attributes the token to the client");
    assert.is(wire.tokenRequests().length, 1);
  });
}

/** Asserts the wrong-secret outcome, and that neither secret shows in any rendering of the error. */
async function wrongSecretRefused(lazy: LazyServer, client: SecretClient, auth: (secret: string) => ClientAuthentication): Promise<void> {
  const wrong = `wrong-${client.secret}`;
  await withKeeper(lazy, { clientId: client.clientId, clientAuth: auth(wrong) }, async (keeper, wire) => {
    const error = await keeper.getToken().then(
      () => assert.unreachable("a wrong secret got a token"),
      (caught: unknown) => caught,
    );
    assert.ok(isTokenKeeperError(error), `a TokenKeeperError, not ${String(error)}`);
    assert.is(error.code, "OAUTH_ERROR");
    assert.is((error as { error?: unknown }).error, "invalid_client");
    assert.is(wire.tokenRequests().length, 1, "an OAuth error is not retried");
    const shown = renderings(error);
    // The renderings do show the error: this check would see a secret if one were there.
    assert.ok(shown.some((text) => text.includes("invalid_client")), "the renderings name invalid_client");
    const credentials = wire.tokenRequests().flatMap((e) => (e.authorization ? [e.authorization.replace(/^Basic /, "")] : []));
    for (const secret of [...spellings(wrong), ...spellings(client.secret), ...credentials]) {
      for (const text of shown) assert.not.ok(text.includes(secret), `a secret shows in:\n${text}`);
    }
  });
}

/**
 * Registers the interop cases on `test`, leaving out those the server does not support (they are
 * listed, with why, in docs/interop.md).
 *
 * @param test The server's uvu suite.
 * @param lazy The server, started on first use.
 * @param fixture The clients the server registered.
 * @param unsupported The cases to leave out.
 */
export function registerCases(test: Test, lazy: LazyServer, fixture: Fixture, unsupported: readonly OptionalCase[] = []): void {
  const supports = (name: OptionalCase): boolean => !unsupported.includes(name);
  const { post, basic, basicSpecial, secretJwt, keyJwt } = fixture;

  test("client_secret_post gets a token that the server's resource accepts", () =>
    tokenAccepted(lazy, post.clientId, clientSecretPost(post.secret)));

  test("client_secret_basic with an id and secret of unreserved characters gets an accepted token", () =>
    tokenAccepted(lazy, basic.clientId, clientSecretBasic(basic.secret)));

  if (supports("basicSpecial")) {
    test("client_secret_basic carries ':', '+', '%' and ' ' in client id and secret to the server intact", () =>
      tokenAccepted(lazy, basicSpecial.clientId, clientSecretBasic(basicSpecial.secret)));
  }

  if (supports("privateKeyJwt")) {
    test("private_key_jwt gets a token with an assertion the server verifies", () =>
      tokenAccepted(lazy, keyJwt.clientId, privateKeyJwt({ key: keyJwt.privateKey, kid: keyJwt.publicJwk.kid })));
  }

  if (supports("clientSecretJwt")) {
    test("client_secret_jwt gets a token with an assertion the server verifies", () =>
      tokenAccepted(lazy, secretJwt.clientId, clientSecretJwt(secretJwt.secret)));
  }

  test("a requested scope is granted, reported by getToken(), and opens the scoped resource", async () => {
    await withKeeper(lazy, { clientId: post.clientId, clientAuth: clientSecretPost(post.secret), scope: fixture.scope }, async (keeper) => {
      assert.is((await keeper.getToken()).scope, fixture.scope);
      assert.is((await use(keeper, "/scoped")).scope, fixture.scope);
    });
    // The control: without the scope the same resource refuses, so the check above means something.
    await withKeeper(lazy, { clientId: post.clientId, clientAuth: clientSecretPost(post.secret) }, async (keeper) => {
      const response = await keeper.fetch("/scoped");
      await response.body?.cancel();
      assert.is(response.status, 403);
    });
  });

  test(`${fixture.tokenLifetimeSeconds}-second tokens serve ${SOAK_MS / 1000} s of keeper.fetch() calls with none rejected and a handful of token requests`, async () => {
    await withKeeper(lazy, { clientId: post.clientId, clientAuth: clientSecretPost(post.secret) }, async (keeper, wire) => {
      const until = Date.now() + SOAK_MS;
      let calls = 0;
      const failures: string[] = [];
      const caller = async (): Promise<void> => {
        while (Date.now() < until) {
          const response = await keeper.fetch("/resource");
          calls++;
          if (response.status !== 200) failures.push(`${response.status} ${await response.text()}`);
          else await response.body?.cancel();
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        }
      };
      await Promise.all(Array.from({ length: CALLERS }, caller));
      assert.equal(failures, [], "no call was rejected");
      assert.ok(calls >= 100, `${calls} calls`);
      const tokens = wire.tokenRequests().length;
      // 12 s of 4 s tokens need at least 3; refreshing ahead of expiry needs a few more, not one per call.
      assert.ok(tokens >= SOAK_MS / 1000 / fixture.tokenLifetimeSeconds && tokens <= 8, `${tokens} token requests for ${calls} calls`);
      const distinct = new Set(wire.resourceRequests().map((e) => e.authorization)).size;
      assert.ok(distinct >= 3, `${distinct} distinct tokens reached the resource`);
      const { late, early, lastSecond } = rejectionsOnTheWire(wire);
      // The keeper retries once after 401 invalid_token, so the wire, not the caller, shows a token
      // sent after its expiry or refused for another reason.
      assert.equal(late, [], "no token was sent after its expires_in ran out");
      assert.equal(early, [], "the server refused no token before its last second");
      assert.ok(lastSecond.length <= 1, `${lastSecond.length} tokens refused in their last second: ${lastSecond.join(", ")}`);
    });
  });

  test("a wrong secret with client_secret_post is invalid_client, and neither secret shows in the error", () =>
    wrongSecretRefused(lazy, post, clientSecretPost));

  const basicClient = supports("basicSpecial") ? basicSpecial : basic;
  test("a wrong secret with client_secret_basic is invalid_client, and neither secret shows in the error", () =>
    wrongSecretRefused(lazy, basicClient, clientSecretBasic));
}
