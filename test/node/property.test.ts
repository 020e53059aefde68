// Property-based tests (fast-check) of token response handling and WWW-Authenticate parsing:
// whatever a token endpoint or resource server answers, the keeper resolves with a usable token
// or rejects with a TokenKeeperError, never throws anything else, and never lets the client
// secret or an issued token reach an error or an event.
import fc from "fast-check";
import { inspect } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, clientSecretJwt, clientSecretPost, customClientAuth, isTokenKeeperError, type TokenKeeperEvent } from "../../mod.ts";
import { parseChallenges } from "../../src/www-authenticate.ts";
import { harness, SECRET } from "../helpers/token-server.ts";

const test = suite("property-based response handling");
const SENTINEL_TOKEN = "SENTINEL_AT_q7Z";
const RUNS = { responses: 4_000, challenges: 3_000, parser: 3_000, echoes: 2_000, local: 500 };
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
        assert.is((JSON.parse(JSON.stringify(token)) as { accessToken: string }).accessToken, "[redacted]");
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

// Echoes: a server (or a failing fetch, or a client authentication) that quotes the secret or the
// request back, in any spelling, anywhere in a long text.
// No run of 5 letters, so that a piece of the secret cannot be an ordinary word in a stack trace.
const echoSecret = fc.stringMatching(/^[\x20-\x7e\u00e9\u20ac]{8,40}$/).filter((s) => s.trim() === s && new Set(s).size >= 6 && !/[a-z]{5}/i.test(s));
const spelling = fc.constantFrom<(secret: string, request: { body: string; authorization: string | null }) => string>(
  (secret) => secret,
  (secret) => new URLSearchParams([["client_secret", secret]]).toString(),
  (secret) => encodeURIComponent(secret),
  (secret) => JSON.stringify(secret).slice(1, -1),
  (secret) => JSON.stringify(secret).slice(1, -1).replace(/\//g, "\\/").replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  (secret) => secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  (_secret, request) => request.body,
  (_secret, request) => request.authorization ?? "",
  (_secret, request) => JSON.stringify(request.body).slice(1, -1),
);
const authentication = fc.constantFrom("post", "basic", "jwt", "custom");

function authFor(kind: string, secret: string) {
  if (kind === "basic") return clientSecretBasic(secret);
  if (kind === "jwt") return clientSecretJwt(secret);
  if (kind === "custom") return customClientAuth("client_secret_post", (_as, client, body) => void (body.set("client_id", client.client_id), body.set("client_secret", secret)));
  return clientSecretPost(secret);
}

/** Every rendering of an error: message, stack, String, inspect with hidden members, JSON with its causes. */
function renderings(error: unknown): string {
  const causes: unknown[] = [];
  for (let e: unknown = error; e instanceof Error && causes.length < 10; e = e.cause) causes.push({ ...e, message: e.message, stack: e.stack, name: e.name });
  const e = error as Error;
  return [e.message, e.stack, String(e), inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e), JSON.stringify(causes)].join("\n");
}

/** `text` as given and with each kind of escape decoded, by decoders independent of the library's. */
function decodings(text: string): string[] {
  const percent = (t: string) => t.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  const json = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\([\\/"])/g, "$1");
  const html = text.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return [text, percent(text), percent(text.replace(/\+/g, " ")), json, percent(json), percent(json.replace(/\+/g, " ")), html];
}

/** The 8-character pieces of `secret` found in `text` or in any decoding of it. */
function leakedPieces(text: string, secret: string): string[] {
  const found = new Set<string>();
  for (const decoded of decodings(text)) {
    for (let i = 0; i + 8 <= secret.length; i++) if (decoded.includes(secret.slice(i, i + 8))) found.add(secret.slice(i, i + 8));
  }
  return [...found];
}

test(`a server that echoes the secret or the request in any spelling leaks no 8-character piece of it (${RUNS.echoes} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(echoSecret, authentication, spelling, fc.nat(320), fc.constantFrom("description", "html", "uri", "200-error"), async (secret, kind, spell, pad, placement) => {
      generated++;
      const events: TokenKeeperEvent[] = [];
      const h = harness({ clientSecret: undefined, clientAuth: authFor(kind, secret), retry: false, onEvent: (e) => events.push(e) });
      h.server.replies.push((request) => {
        const echo = `${"x".repeat(pad)} ${spell(secret, { body: request.body, authorization: request.headers.get("authorization") })} tail`;
        if (placement === "html") return new Response(`<html><body>${echo}</body></html>`, { status: 500, headers: { "content-type": "text/html" } });
        if (placement === "uri") return new Response(JSON.stringify({ error: "invalid_client", error_uri: echo }), { status: 400 });
        if (placement === "200-error") return new Response(JSON.stringify({ access_token: "ok-token", token_type: "mac", error_description: echo }), { status: 200 });
        return new Response(JSON.stringify({ error: "invalid_client", error_description: echo }), { status: 401 });
      });
      const error = await h.keeper.getToken().then(() => undefined, (e: unknown) => e);
      assert.ok(isTokenKeeperError(error), "the request failed");
      const shown = `${renderings(error)}\n${(error as { bodySnippet?: string }).bodySnippet ?? ""}\n${JSON.stringify(events)}`;
      assert.equal(leakedPieces(shown, secret), [], `leaked in ${placement}: ${shown.slice(0, 400)}`);
      await h.keeper.close();
    }),
    { numRuns: RUNS.echoes },
  );
});

test(`an error raised before any response (fetch, client authentication) leaks no piece of the secret (${RUNS.local} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(echoSecret, spelling, fc.constantFrom("fetch", "auth", "header"), async (secret, spell, where) => {
      generated++;
      const echo = spell(secret, { body: `client_secret=${encodeURIComponent(secret)}`, authorization: null });
      const clientAuth = where === "auth"
        ? customClientAuth("client_secret_post", () => { throw new Error(`vault refused ${echo}`); })
        : where === "header"
        ? customClientAuth("private_key_jwt", (_as, _client, _body, headers) => headers.set("authorization", `Key ${secret}\u0000`))
        : clientSecretPost(secret);
      const failingFetch = async (): Promise<Response> => {
        throw new TypeError(`connect failed ${echo}`, { cause: new Error(`socket ${echo}`) });
      };
      const h = harness({ clientSecret: undefined, clientAuth, retry: false, ...(where === "fetch" ? { fetch: failingFetch } : {}) });
      const error = await h.keeper.getToken().then(() => undefined, (e: unknown) => e);
      assert.ok(isTokenKeeperError(error), "the request failed");
      assert.equal(leakedPieces(renderings(error), secret), [], renderings(error).slice(0, 400));
    }),
    { numRuns: RUNS.local },
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

test("at least 12,500 cases were generated in this run", () => {
  assert.ok(generated >= 12_500, `only ${generated} cases`);
  console.log(`  property cases generated: ${generated}`);
});

test.run();
