// Property-based tests (fast-check) of token response handling and WWW-Authenticate parsing:
// whatever a token endpoint or resource server answers, the keeper resolves with a usable token
// or rejects with a TokenKeeperError, never throws anything else, and never lets the client
// secret, an assertion or an issued token reach an error or an event.
import fc from "fast-check";
import { inspect } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clientSecretBasic, clientSecretJwt, clientSecretPost, customClientAuth, isTokenKeeperError, privateKeyJwt, type TokenKeeperEvent } from "../../mod.ts";
import { parseChallenges } from "../../src/lib/rejections.ts";
import { harness, SECRET } from "../helpers/token-server.ts";

const test = suite("property-based response handling");
const SENTINEL_TOKEN = "SENTINEL_AT_q7Z";
const RUNS = { responses: 4_000, challenges: 3_000, parser: 3_000, echoes: 2_000, local: 500 };
// Locally, for more cases than CI runs: PROPERTY_SCALE=5 multiplies the echo properties' runs, and
// PROPERTY_SEED=<n> replays a run (fast-check prints the seed of a failure).
const scale = Number(process.env.PROPERTY_SCALE ?? 1);
const seed = process.env.PROPERTY_SEED === undefined ? {} : { seed: Number(process.env.PROPERTY_SEED) };
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

// Echoes: a server (or a failing fetch, or a client authentication) that quotes the secret, an
// assertion or the request back, in any spelling, anywhere in a long text. A spelling is a form of
// the value (as given, NFC, NFD, its UTF-8 read as Latin-1 or windows-1252) under up to three
// layers of escaping, in any order.
// No run of 5 letters nor of 3 spaces or newlines, so that a piece of the secret cannot be an
// ordinary word or the indentation in a stack trace (an excerpt shows a newline as a space).
const echoSecret = fc.tuple(fc.stringMatching(/^[\x20-\x7e\u00e9\u20ac\n]{8,40}$/), fc.boolean())
  .map(([secret, decomposed]) => decomposed ? secret.normalize("NFD") : secret)
  .filter((s) => s.trim() === s && new Set(s).size >= 6 && !/[a-z]{5}/i.test(s) && !/\s{3}/.test(s));

const utf8Bytes = (s: string) => [...new TextEncoder().encode(s)];
const hex = (code: number) => code.toString(16).padStart(2, "0");
/** windows-1252 bytes 0x80 to 0x9F (the rest is Latin-1), written out: Node 20 decodes windows-1252 as Latin-1. */
const cp1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const forms: Record<string, (s: string) => string> = {
  "as given": (s) => s,
  NFC: (s) => s.normalize("NFC"),
  NFD: (s) => s.normalize("NFD"),
  "UTF-8 read as Latin-1": (s) => String.fromCharCode(...utf8Bytes(s)),
  "UTF-8 read as windows-1252": (s) => utf8Bytes(s).map((b) => b >= 0x80 && b < 0xa0 ? cp1252High[b - 0x80]! : String.fromCharCode(b)).join(""),
};
/** HTML5 named references (https://html.spec.whatwg.org/entities.json) for the characters the spellings here produce. */
const named: Record<string, string> = {
  "\t": "&Tab;", "\n": "&NewLine;", "!": "&excl;", '"': "&quot;", "#": "&num;", $: "&dollar;", "%": "&percnt;", "&": "&amp;", "'": "&apos;",
  "(": "&lpar;", ")": "&rpar;", "*": "&ast;", "+": "&plus;", ",": "&comma;", ".": "&period;", "/": "&sol;", ":": "&colon;", ";": "&semi;",
  "<": "&lt;", "=": "&equals;", ">": "&gt;", "?": "&quest;", "@": "&commat;", "[": "&lsqb;", "\\": "&bsol;", "]": "&rsqb;", "^": "&Hat;",
  _: "&lowbar;", "`": "&grave;", "{": "&lcub;", "|": "&verbar;", "}": "&rcub;", "é": "&eacute;", "€": "&euro;", "\u0301": "&#x301;",
  "Ã": "&Atilde;", "©": "&copy;", "â": "&acirc;", "‚": "&sbquo;", "¬": "&not;", "Ì": "&Igrave;", "Â": "&Acirc;", "\u00a0": "&nbsp;",
};
const layers: Record<string, (s: string) => string> = {
  "percent-encoded": (s) => encodeURIComponent(s),
  "form-encoded": (s) => new URLSearchParams([["v", s]]).toString().slice(2),
  "percent-encoded, every octet, upper-case hex": (s) => utf8Bytes(s).map((b) => `%${hex(b).toUpperCase()}`).join(""),
  "percent-encoded, lower-case hex": (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  "JSON-escaped": (s) => JSON.stringify(s).slice(1, -1),
  "JSON-escaped, with \\/ and \\uXXXX": (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, "\\/").replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  "HTML-escaped": (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  "HTML decimal references": (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(""),
  "HTML hex references": (s) => [...s].map((c) => `&#${c.length % 2 ? "x" : "X"}${c.codePointAt(0)!.toString(16)};`).join(""),
  "HTML5 named references": (s) => [...s].map((c) => named[c] ?? (c > "\x7f" ? `&#${c.codePointAt(0)};` : c)).join(""),
};
const layerNames = fc.constantFrom(...Object.keys(layers));
const spelling = fc.oneof(
  { weight: 4, arbitrary: fc.record({ source: fc.constantFrom("secret", "assertion"), form: fc.constantFrom(...Object.keys(forms)), layers: fc.array(layerNames, { maxLength: 3 }) }) },
  // The request's form body is itself one layer (form-encoding) deep.
  { weight: 1, arbitrary: fc.record({ source: fc.constantFrom("body", "authorization"), form: fc.constant("as given"), layers: fc.array(layerNames, { maxLength: 2 }) }) },
);
type Spelling = { source: string; form: string; layers: string[] };
/** `spelling` of the secret (the assertion, when it has one and the spelling asks for it), of the request body or of its Authorization header. */
function spell({ source, form, layers: names }: Spelling, secret: string, request: { body: string; authorization: string | null }): string {
  const assertion = new URLSearchParams(request.body).get("client_assertion");
  const value = source === "body" ? request.body : source === "authorization" ? request.authorization ?? "" : source === "assertion" ? assertion ?? secret : secret;
  return names.reduce((text, name) => layers[name]!(text), forms[form]!(value));
}
const authentication = fc.constantFrom("post", "basic", "jwt", "private_key_jwt", "custom");
const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);

function authFor(kind: string, secret: string) {
  if (kind === "basic") return clientSecretBasic(secret);
  if (kind === "jwt") return clientSecretJwt(secret);
  if (kind === "private_key_jwt") return privateKeyJwt(privateKey);
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

const namedCharacters = new Map(Object.entries(named).map(([c, reference]) => [reference, c]));
/** One layer of escaping undone, by decoders independent of the library's. */
const testDecoders: ((text: string) => string)[] = [
  (t) => t.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  }),
  (t) => testDecoders[0]!(t.replace(/\+/g, " ")),
  (t) => t.replace(/\\(?:u([0-9a-fA-F]{4})|([^]))/g, (_, code: string | undefined, c: string) => code ? String.fromCharCode(parseInt(code, 16)) : ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" } as Record<string, string>)[c] ?? c),
  (t) => t.replace(/&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|[A-Za-z][A-Za-z0-9]*);/g, (reference, decimal: string | undefined, hexadecimal: string | undefined) =>
    decimal ? String.fromCodePoint(Number(decimal)) : hexadecimal ? String.fromCodePoint(parseInt(hexadecimal, 16)) : namedCharacters.get(reference) ?? reference),
];

/** `text` and its decodings, three layers deep. */
function decodings(text: string): string[] {
  const seen = new Set([text]);
  let layer = [text];
  for (let depth = 0; depth < 3; depth++) {
    layer = layer.flatMap((view) => testDecoders.map((decode) => decode(view))).filter((view) => !seen.has(view) && seen.add(view));
  }
  return [...seen];
}

/** The forms a spelling may turn `value` into, also with control characters as spaces (as excerpts show them). */
function targets(value: string): string[] {
  const found = new Set<string>();
  for (const normal of [value, value.normalize("NFC"), value.normalize("NFD")]) {
    for (const form of Object.values(forms)) found.add(form(normal)).add(form(normal).replace(/[\u0000-\u001f]/g, " "));
  }
  return [...found];
}

/** The 8-character pieces of `value`, in any of its forms, found in `text` or in any decoding of it. */
function leakedPieces(text: string, value: string): string[] {
  const pieces = new Set<string>();
  for (const form of targets(value)) for (let i = 0; i + 8 <= form.length; i++) pieces.add(form.slice(i, i + 8));
  const found = new Set<string>();
  for (const view of decodings(text)) {
    for (let i = 0; i + 8 <= view.length; i++) if (pieces.has(view.slice(i, i + 8))) found.add(view.slice(i, i + 8));
  }
  return [...found];
}

const echo = {
  secret: echoSecret,
  kind: authentication,
  spelling,
  pad: fc.nat(320),
  placement: fc.constantFrom("description", "html", "uri", "200-error"),
};
const echoExamples: [string, string, Spelling, number, string][] = [
  // Seed -1834451578: a literal backslash before "r", read as a JSON escape in the decoded
  // error_description, hid the HTML spelling of the secret, which came back whole.
  ["!\\r é&€€", "post", { source: "secret", form: "as given", layers: ["HTML-escaped"] }, 0, "description"],
];

test(`a server that echoes the secret, an assertion or the request in any spelling leaks no 8-character piece of them (${RUNS.echoes} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(echo.secret, echo.kind, echo.spelling, echo.pad, echo.placement, async (secret, kind, spelled, pad, placement) => {
      generated++;
      const events: TokenKeeperEvent[] = [];
      let assertion = "";
      const h = harness({ clientSecret: undefined, clientAuth: authFor(kind, secret), retry: false, onEvent: (e) => events.push(e) });
      h.server.replies.push((request) => {
        assertion = new URLSearchParams(request.body).get("client_assertion") ?? "";
        // A private_key_jwt keeper has no secret to echo: its assertion is the value to protect.
        const echoed = spell(kind === "private_key_jwt" ? { ...spelled, source: "assertion" } : spelled, secret, { body: request.body, authorization: request.headers.get("authorization") });
        const text = `${"x".repeat(pad)} ${echoed} tail`;
        if (placement === "html") return new Response(`<html><body>${text}</body></html>`, { status: 500, headers: { "content-type": "text/html" } });
        if (placement === "uri") return new Response(JSON.stringify({ error: "invalid_client", error_uri: text }), { status: 400 });
        if (placement === "200-error") return new Response(JSON.stringify({ access_token: "ok-token", token_type: "mac", error_description: text }), { status: 200 });
        return new Response(JSON.stringify({ error: "invalid_client", error_description: text }), { status: 401 });
      });
      const error = await h.keeper.getToken().then(() => undefined, (e: unknown) => e);
      assert.ok(isTokenKeeperError(error), "the request failed");
      const shown = `${renderings(error)}\n${(error as { bodySnippet?: string }).bodySnippet ?? ""}\n${JSON.stringify(events)}`;
      const leaked = [...(kind === "private_key_jwt" ? [] : leakedPieces(shown, secret)), ...(assertion ? leakedPieces(shown, assertion) : [])];
      assert.equal(leaked, [], `leaked in ${placement}: ${shown.slice(0, 400)}`);
      await h.keeper.close();
    }),
    { numRuns: RUNS.echoes * scale, examples: echoExamples, ...seed },
  );
});

test(`an error raised before any response (fetch, client authentication) leaks no piece of the secret (${RUNS.local} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(echoSecret, spelling, fc.constantFrom("fetch", "auth", "header"), async (secret, spelled, where) => {
      generated++;
      const echoed = spell(spelled, secret, { body: `client_secret=${encodeURIComponent(secret)}`, authorization: null });
      const clientAuth = where === "auth"
        ? customClientAuth("client_secret_post", () => { throw new Error(`vault refused ${echoed}`); })
        : where === "header"
        ? customClientAuth("private_key_jwt", (_as, _client, _body, headers) => headers.set("authorization", `Key ${secret}\u0000`))
        : clientSecretPost(secret);
      const failingFetch = async (): Promise<Response> => {
        throw new TypeError(`connect failed ${echoed}`, { cause: new Error(`socket ${echoed}`) });
      };
      const h = harness({ clientSecret: undefined, clientAuth, retry: false, ...(where === "fetch" ? { fetch: failingFetch } : {}) });
      const error = await h.keeper.getToken().then(() => undefined, (e: unknown) => e);
      assert.ok(isTokenKeeperError(error), "the request failed");
      assert.equal(leakedPieces(renderings(error), secret), [], renderings(error).slice(0, 400));
    }),
    { numRuns: RUNS.local * scale, ...seed },
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
