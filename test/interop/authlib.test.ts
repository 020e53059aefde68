// tokenkeeper against Authlib (Python, Flask), over http on loopback: the client credentials cases
// every server gets, and the JWT bearer grant (RFC 7523 §2.1), which Authlib implements server side
// (its JWTBearerGrant verifies the assertion's signature, iss, aud and exp, and maps sub to a user).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createTokenKeeper, isTokenEndpointError, jwtBearer, type JwtBearerOptions, type TokenKeeper } from "../../mod.ts";
import { registerCases } from "./cases.ts";
import { createFixture } from "./fixture.ts";
import { renderings } from "./leaks.ts";
import { type Recorder, record } from "./recorder.ts";
import { lazyServer } from "./server.ts";
import { startAuthlib } from "./servers/authlib.ts";

const fixture = await createFixture();
const server = lazyServer(() => startAuthlib(fixture));
const test = suite("Authlib");
test.after(() => server.stop());

registerCases(test, server, fixture);

// The JWT bearer grant, on the same server.
const grant = test;

/** Runs `body` with a keeper that asks for tokens with the JWT bearer grant, and closes it after. */
async function withGrant(options: JwtBearerOptions & { key?: CryptoKey; scope?: string }, body: (keeper: TokenKeeper, wire: Recorder) => Promise<void>): Promise<void> {
  const running = await server.get();
  const wire = record(running.fetch, running.tokenEndpoint);
  const { key = fixture.jwtBearer.privateKey, scope, ...grantOptions } = options;
  const keeper = createTokenKeeper({
    tokenEndpoint: running.tokenEndpoint,
    clientId: fixture.jwtBearer.clientId,
    grant: jwtBearer({ key, kid: fixture.jwtBearer.publicJwk.kid }, grantOptions),
    ...(scope === undefined ? {} : { scope }),
    baseUrl: running.origin,
    fetch: wire.fetch,
  });
  try {
    await body(keeper, wire);
  } finally {
    await keeper.close();
  }
}

async function resource(keeper: TokenKeeper, path: string): Promise<{ client_id?: string; scope?: string; sub?: string }> {
  const response = await keeper.fetch(path);
  const text = await response.text();
  assert.is(response.status, 200, `GET ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

grant("JWT bearer grant: the client's own assertion (sub = iss) gets a token that Authlib's resource accepts as the client's", async () => {
  await withGrant({}, async (keeper, wire) => {
    const answer = await resource(keeper, "/resource");
    assert.is(answer.client_id, fixture.jwtBearer.clientId);
    assert.is(answer.sub, fixture.jwtBearer.clientId);
    await keeper.getToken({ forceRefresh: true });
    assert.is(wire.tokenRequests().length, 2, "a new assertion, accepted again");
  });
});

grant("JWT bearer grant: a requested scope, sent as the scope parameter, is granted, reported by getToken(), and opens the scoped resource", async () => {
  await withGrant({ scope: fixture.scope }, async (keeper) => {
    assert.is((await keeper.getToken()).scope, fixture.scope);
    assert.is((await resource(keeper, "/scoped")).scope, fixture.scope);
  });
});

grant("JWT bearer grant: an assertion whose sub names a user the client may act for gets that user's token", async () => {
  await withGrant({ subject: fixture.jwtBearerUser }, async (keeper) => {
    assert.is((await resource(keeper, "/resource")).sub, fixture.jwtBearerUser);
  });
});

grant("JWT bearer grant: an assertion signed with another key, or for a user the server does not know, is invalid_grant, not retried, and shows no piece of the assertion", async () => {
  const other = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  for (const options of [{ key: other.privateKey }, { subject: "nobody" }]) {
    await withGrant(options, async (keeper, wire) => {
      const error = await keeper.getToken().then(() => assert.unreachable("a bad assertion got a token"), (e: unknown) => e);
      assert.ok(isTokenEndpointError(error) && error.error === "invalid_grant", String(error));
      assert.is(wire.tokenRequests().length, 1, "an OAuth error is not retried");
      const request = wire.exchanges[0]!;
      assert.is(request.status, 400);
    });
  }
});

grant("JWT bearer grant: a wrong assertion's error renders without the assertion, whatever Authlib's description says", async () => {
  const other = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  let sent = "";
  const running = await server.get();
  const keeper = createTokenKeeper({
    tokenEndpoint: running.tokenEndpoint,
    clientId: fixture.jwtBearer.clientId,
    grant: jwtBearer({ key: other.privateKey, kid: fixture.jwtBearer.publicJwk.kid }),
    fetch: async (input, init) => {
      sent = new URLSearchParams(String(init?.body ?? "")).get("assertion") ?? sent;
      return running.fetch(input, init);
    },
  });
  const error = await keeper.getToken().then(() => undefined, (e: unknown) => e);
  await keeper.close();
  assert.ok(sent.length > 100, "the assertion was seen");
  for (const text of renderings(error)) {
    for (let i = 0; i + 8 <= sent.length; i += 8) assert.not.ok(text.includes(sent.slice(i, i + 8)), `a piece of the assertion shows in:\n${text}`);
  }
});

test.run();
