// Property-based tests (fast-check) of token response handling and WWW-Authenticate parsing:
// whatever a token endpoint or resource server answers, the keeper resolves with a usable token
// or rejects with a TokenKeeperError, never throws anything else, and never lets the client
// secret or an issued token reach an error or an event.
import fc from "fast-check";
import { inspect } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isTokenKeeperError, type TokenKeeperEvent } from "../../mod.ts";
import { parseChallenges } from "../../src/www-authenticate.ts";
import { harness, SECRET } from "../helpers/token-server.ts";

const test = suite("property-based response handling");
const SENTINEL_TOKEN = "SENTINEL_AT_q7Z";
const RUNS = { responses: 4_000, challenges: 3_000, parser: 3_000 };
let generated = 0;

// The client secret may come back anywhere (a server echoing it); an issued token only where
// tokens live (access_token, refresh_token, or a broken body that starts like one).
const sentinelString = fc.oneof(
  fc.constant(SECRET),
  fc.constant(`invalid secret ${SECRET}`),
  fc.string(),
  fc.constantFrom("Bearer", "bearer", "DPoP", "mac", "", "3600", "-1", "abc\r\nX: y"),
);
const tokenValue = fc.oneof(fc.constant(SENTINEL_TOKEN), fc.constant(`${SENTINEL_TOKEN}\r\nX-Evil: 1`), fc.string(), fc.integer(), fc.constant(null));
const jsonBody = fc.record(
  {
    access_token: tokenValue,
    token_type: fc.oneof(fc.constantFrom("Bearer", "bearer", "BEARER", "DPoP", "mac", "N_A"), fc.string(), fc.integer()),
    expires_in: fc.oneof(fc.integer({ min: -10, max: 10 ** 12 }), fc.double(), fc.constantFrom("3600", "3600.5", "abc", "", null, true)),
    scope: fc.oneof(fc.string(), fc.integer()),
    error: sentinelString,
    error_description: sentinelString,
    refresh_token: fc.constant(SENTINEL_TOKEN),
    id_token: fc.string(),
  },
  { requiredKeys: [] },
).map((value) => JSON.stringify(value));
const body = fc.oneof(
  jsonBody,
  fc.string(),
  fc.constantFrom("[]", "null", '"token"', "", "<html>error</html>", `{"access_token":"${SENTINEL_TOKEN}"`, `access_token=${SENTINEL_TOKEN}&token_type=bearer`),
  fc.json(),
);
const reply = fc.record({
  status: fc.oneof(fc.constantFrom(200, 200, 200, 201, 204, 301, 307, 400, 401, 403, 408, 429, 500, 503), fc.integer({ min: 200, max: 599 })),
  contentType: fc.constantFrom("application/json", "application/json;charset=UTF-8", "text/html", "text/plain", "application/problem+json", ""),
  wwwAuthenticate: fc.oneof(fc.constant(undefined), fc.constantFrom('Basic realm="as"', 'Bearer error="invalid_token"', "Key realm=kong"), fc.string()),
  retryAfter: fc.oneof(fc.constant(undefined), fc.constantFrom("0", "1", "Wed, 21 Oct 2015 07:28:00 GMT", "soon")),
  body,
});

function toResponse(r: { status: number; contentType: string; wwwAuthenticate: string | undefined; retryAfter: string | undefined; body: string }): Response {
  const headers = new Headers();
  if (r.contentType) headers.set("content-type", r.contentType);
  if (r.wwwAuthenticate !== undefined) {
    try {
      headers.set("www-authenticate", r.wwwAuthenticate);
    } catch {
      // Not a valid header value: the server could not have sent it.
    }
  }
  if (r.retryAfter !== undefined) headers.set("retry-after", r.retryAfter);
  const nullBody = [101, 103, 204, 205, 304].includes(r.status);
  return new Response(nullBody ? null : r.body, { status: r.status, headers });
}

function assertNoSentinel(text: string, what: string): void {
  assert.not.ok(text.includes(SECRET), `${what} holds the client secret`);
  assert.not.ok(text.includes(SENTINEL_TOKEN), `${what} holds an issued token`);
}

test(`any token endpoint answer gives a usable token or a TokenKeeperError, with no secret anywhere (${RUNS.responses} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(reply, { minLength: 1, maxLength: 3 }), async (replies) => {
      generated++;
      const events: TokenKeeperEvent[] = [];
      const h = harness({ retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 }, onEvent: (e) => events.push(e) });
      const queue = replies.map((r) => () => toResponse(r));
      h.server.replies.push(...queue);
      let outcome: unknown;
      try {
        outcome = await h.keeper.getToken();
      } catch (error) {
        outcome = error;
        assert.ok(isTokenKeeperError(error), `not a TokenKeeperError: ${String(error)}`);
        const shown = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true }), error.bodySnippet ?? ""].join("\n");
        assertNoSentinel(shown, "an error");
      }
      if (!isTokenKeeperError(outcome)) {
        const token = outcome as { accessToken: string; tokenType: string };
        assert.match(token.accessToken, /^[\x21-\x7E]+$/);
        assert.is(token.tokenType, "Bearer");
        assert.not.ok(JSON.stringify(token).includes(token.accessToken));
      }
      assertNoSentinel(JSON.stringify(events), "an event");
      await h.keeper.close();
    }),
    { numRuns: RUNS.responses },
  );
});

test(`any 401 challenge from a resource server ends in a Response or a TokenKeeperError after at most one retry (${RUNS.challenges} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('Bearer error="invalid_token"', 'Bearer error="insufficient_scope"', "Bearer", 'DPoP error="use_dpop_nonce"')), fc.constantFrom(401, 403), async (header, status) => {
      generated++;
      const h = harness();
      h.server.resource = () => {
        const headers = new Headers();
        try {
          headers.set("www-authenticate", header);
        } catch {
          // Invalid header value.
        }
        return new Response(null, { status, headers });
      };
      const response = await h.keeper.fetch("/api/x").catch((e: unknown) => e);
      if (response instanceof Response) assert.is(response.status, status);
      else assert.ok(isTokenKeeperError(response));
      assert.ok(h.server.resourceRequests.length <= 2, "no loop");
      assert.ok(h.server.tokenRequests.length <= 2, "no token storm");
    }),
    { numRuns: RUNS.challenges },
  );
});

test(`parseChallenges never throws and keeps parameter names lowercase (${RUNS.parser} cases)`, () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fc.constantFrom("Bearer", " ", ",", "=", '"', "\\", "error", "realm", "a", "Basic", "token68==")).map((a) => a.join(""))), (header) => {
      generated++;
      for (const challenge of parseChallenges(header)) {
        assert.is(challenge.scheme, challenge.scheme.toLowerCase());
        for (const name of Object.keys(challenge.parameters)) assert.is(name, name.toLowerCase());
      }
    }),
    { numRuns: RUNS.parser },
  );
});

test("at least 10,000 cases were generated in this run", () => {
  assert.ok(generated >= 10_000, `only ${generated} cases`);
  console.log(`  property cases generated: ${generated}`);
});

test.run();
