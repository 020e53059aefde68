import * as oauth from "oauth4webapi";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ClientAuthentication, clientSecretJwt, customClientAuth, privateKeyJwt } from "../mod.ts";
import { Redactor } from "../src/lib/redact.ts";
import { failure, form, harness, json } from "./helpers/token-server.ts";

const test = suite("redaction");

// Every run of 8 characters holds a non-ASCII one, so a spelling that garbles or decomposes them
// is caught only if redaction knows it.
const SECRET = "mý sécret+1/é&<x>\"€q'%25ñ!";

/** Every 8-character piece of `secret` that appears in `text`. */
function pieces(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

function redactor(): Redactor {
  const r = new Redactor();
  r.add(SECRET);
  return r;
}

const unicodeEscaped = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const htmlEscaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);
const everyOctet = (s: string) => [...new TextEncoder().encode(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
/** HTML5 named references for every character of `s` that has one here; others as they are. */
const named: Record<string, string> = {
  " ": "&nbsp;", "+": "&plus;", "/": "&sol;", "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "%": "&percnt;", "!": "&excl;", "\n": "&NewLine;",
  "é": "&eacute;", "ý": "&yacute;", "ñ": "&ntilde;", "€": "&euro;", "Ã": "&Atilde;", "©": "&copy;", "½": "&frac12;", "±": "&plusmn;", "â": "&acirc;", "‚": "&sbquo;", "¬": "&not;",
};
const namedReferences = (s: string) => [...s].map((c) => named[c] ?? c).join("");
const latin1 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
/** Bytes 0x80 to 0x9F in windows-1252 (the rest is Latin-1); written out, as Node 20 decodes windows-1252 as Latin-1. */
const cp1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const windows1252 = (s: string) => [...new TextEncoder().encode(s)].map((b) => b >= 0x80 && b < 0xa0 ? cp1252High[b - 0x80] : String.fromCharCode(b)).join("");

/** Spellings whose text before the echo is kept whole; each also keeps the text after it. */
const rawSpellings: Record<string, string> = {
  raw: SECRET,
};
/** Spellings found only in a decoding: the text before the echo is kept, the rest is cut. */
const decodedSpellings: Record<string, string> = {
  "form-encoded": new URLSearchParams([["client_secret", SECRET]]).toString(),
  "percent-encoded": encodeURIComponent(SECRET),
  "percent-encoded, every octet in upper-case hex": everyOctet(SECRET),
  "percent-encoded, lower-case hex": encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  "JSON-escaped": JSON.stringify({ echo: SECRET }),
  "JSON-escaped with \\/ and \\uXXXX": unicodeEscaped(JSON.stringify({ echo: SECRET }).replace(/\//g, "\\/")),
  "HTML-escaped": htmlEscaped(SECRET),
  "HTML numeric references": [...SECRET].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(""),
  "HTML upper-case hex references": [...SECRET].map((c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()};`).join(""),
  "HTML5 named references": namedReferences(SECRET),
  "JSON-escaped form body": JSON.stringify({ body: `grant_type=client_credentials&client_secret=${encodeURIComponent(SECRET).replace(/%20/g, "+")}` }),
  "JSON of HTML": jsonEscaped(htmlEscaped(SECRET)),
  "HTML of percent": htmlEscaped(`q=${encodeURIComponent(SECRET)}&x=1`),
  "percent of JSON": encodeURIComponent(JSON.stringify({ echo: SECRET })),
  "JSON of HTML of percent": jsonEscaped(htmlEscaped(`q=${everyOctet(SECRET)}`)),
  "HTML of HTML": htmlEscaped(htmlEscaped(SECRET)),
  "Python dict": `{'client_secret': ${JSON.stringify(SECRET).replace(/'/g, "\\'")}}`,
  NFD: SECRET.normalize("NFD"),
  "as UTF-8 read as Latin-1": latin1(SECRET),
  "as UTF-8 read as windows-1252": windows1252(SECRET),
  "as UTF-8 read as Latin-1, then percent-encoded": encodeURIComponent(latin1(SECRET)),
  "as UTF-8 read as windows-1252, then HTML5 named references": namedReferences(windows1252(SECRET)),
};

/** Decoders independent of the library's: JSON escapes, the HTML references used here, percent-encoding. */
const testDecoders = [
  (t: string) => t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\\(["\\/'])/g, "$1"),
  (t: string) => t.replace(/&#[xX]([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&[a-zA-Z0-9]+;/g, (ref) => Object.entries(named).find(([, r]) => r === ref)?.[0] ?? ref),
  (t: string) => t.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  }),
];
/** Pieces of the secret, as given or in a form a spelling turns it into, in `text` or in its decodings three layers deep. */
function leaks(text: string): string[] {
  let views = [text];
  for (let depth = 0; depth < 3; depth++) views = [...new Set([...views, ...views.flatMap((v) => testDecoders.map((decode) => decode(v)))])];
  const forms = [SECRET, SECRET.normalize("NFD"), latin1(SECRET), windows1252(SECRET)];
  return [...new Set(views.flatMap((view) => forms.flatMap((form) => pieces(view, form) .concat(pieces(view.replace(/\+/g, " "), form)))))];
}

for (const [name, spelling] of Object.entries({ ...rawSpellings, ...decodedSpellings })) {
  test(`scrub() removes a secret echoed ${name}`, () => {
    const out = redactor().scrub(`the server said: ${spelling} (end)`);
    assert.equal(leaks(out), [], out);
    assert.ok(out.includes("[redacted]"), out);
    assert.ok(out.startsWith("the server said"), `the text before the echo is kept: ${out}`);
    if (name in rawSpellings) assert.ok(out.startsWith("the server said: ") && out.endsWith(" (end)"), `the text around the echo is kept: ${out}`);
  });
}

test("scrub() removes a secret HTML-escaped in a JSON error_description, where a backslash in it is no escape (property seed -1834451578)", () => {
  // The secret has a literal backslash before "r": read as a JSON escape in the already decoded
  // error_description, it hid the HTML spelling, and the whole secret came back in the error.
  const secret = "!\\r é&€€";
  const r = new Redactor();
  r.add(secret);
  const body = JSON.stringify({ error: "invalid_client", error_description: ` ${htmlEscaped(secret)} tail` });
  const description = (JSON.parse(body) as { error_description: string }).error_description;
  for (const text of [description, body]) {
    const out = r.scrub(text);
    assert.equal(pieces(out, secret), [], out);
    assert.not.ok(out.includes("é&amp;€€"), out);
  }
});

test("scrub() keeps text that holds no secret as it is, escapes, entities and all", () => {
  const text = `<p>Caf&eacute; &amp; cr&egrave;me&nbsp;&copy; 2024 &#x2014; caf\u00e9 %C3%A9t%C3%A9 ${"Ã©".repeat(3)} – naïve</p>`;
  assert.is(redactor().scrub(text), text);
});

test("scrub() matches an unknown named reference as any character but an ASCII letter or digit", () => {
  const r = new Redactor();
  r.add("abcd-efgh-ijkl");
  r.add("mnopqrstuvwx");
  assert.is(r.scrub("said abcd&foo;efgh&bar;ijkl"), "said[redacted]");
  // No named reference stands for an ASCII letter or digit.
  assert.is(r.scrub("mnop&foo;rstuvwx"), "mnop&foo;rstuvwx");
});

test("scrub() removes any 8-character piece of a secret, not only whole copies", () => {
  const out = redactor().scrub(`partial ${SECRET.slice(2, 12)} echo`);
  assert.equal(pieces(out, SECRET), []);
});

test("scrub() removes the base64 Basic credential and its decoded secret", () => {
  const r = new Redactor();
  const credential = btoa("client:s3cr3t-basic-value");
  r.addAuthorization(`Basic ${credential}`);
  const out = r.scrub(`got ${credential} and s3cr3t-basic-value`);
  assert.not.ok(out.includes("s3cr3t-b"), out);
  assert.not.ok(out.includes(credential.slice(0, 8)), out);
});

test("scrub() redacts token members whatever their value, even unregistered", () => {
  const out = new Redactor().scrub(`{"access_token":"abc123xyz","x":1} refresh_token=zzz999&a=b`);
  assert.not.ok(out.includes("abc123xyz"));
  assert.not.ok(out.includes("zzz999"));
});

test("scrub() leaves text without secrets untouched, and short secrets are matched whole", () => {
  const r = new Redactor();
  r.add("abcd");
  r.add("xyz"); // under 4 characters: ignored
  assert.is(r.scrub("plain text, abcd and xyz"), "plain text, [redacted] and xyz");
});

test("excerpt() scrubs before it cuts, so a secret across the cut keeps no piece", () => {
  for (let pad = 240; pad <= 260; pad++) {
    const out = redactor().excerpt(`${"a".repeat(pad)}${encodeURIComponent(SECRET)}`, 256);
    assert.equal(pieces(out, SECRET), [], `pad ${pad}: ${out}`);
    assert.equal(pieces(out, encodeURIComponent(SECRET)), [], `pad ${pad}: ${out}`);
    assert.ok(out.length <= 257);
  }
});

test("excerpt() removes control characters", () => {
  assert.is(new Redactor().excerpt("a\r\nInjected: b\u2028c", 256), "a Injected: b c");
});

test("excerpt() removes bidi overrides and isolates, which would reorder what a terminal shows", () => {
  assert.is(new Redactor().excerpt("file\u202Etxt.exe \u2066x\u2069 \u202Ay", 256), "file txt.exe  x   y");
});

test("scrub() keeps the client id of a Basic credential: it is no secret", () => {
  const r = new Redactor();
  r.addAuthorization(`Basic ${btoa("my-long-client-id:s3cr3t-basic-value")}`);
  assert.is(r.scrub("unknown client my-long-client-id"), "unknown client my-long-client-id");
});

test("safeError() copies name, scrubbed message and code through the cause chain, nothing else", () => {
  const inner = Object.assign(new Error(`getaddrinfo ENOTFOUND ${SECRET}`), { code: "ENOTFOUND", hostname: SECRET });
  const outer = Object.assign(new TypeError(`fetch failed: ${encodeURIComponent(SECRET)}`, { cause: inner }), { extra: SECRET });
  const copy = redactor().safeError(outer)!;
  assert.is(copy.name, "TypeError");
  assert.equal(pieces(copy.message, SECRET), []);
  assert.equal(pieces(String(copy.stack), SECRET), []);
  assert.is((copy as { extra?: unknown }).extra, undefined);
  const cause = copy.cause as Error & { code?: string; hostname?: unknown };
  assert.is(cause.code, "ENOTFOUND");
  assert.is(cause.hostname, undefined);
  assert.equal(pieces(cause.message, SECRET), []);
  assert.is(redactor().safeError("not an error"), undefined);
});

test("a redactor made with secrets starts with them; values under 4 characters are ignored", () => {
  const secrets = [SECRET, "abc"];
  const made = new Redactor(secrets);
  made.add("request-only-secret");
  assert.equal(pieces(made.scrub(SECRET), SECRET), []);
  assert.is(made.scrub("abc"), "abc");
  assert.equal(secrets, [SECRET, "abc"], "the list given is not changed");
});

// Client assertions: each one is registered as it is made, so that a server (or a failing fetch)
// that quotes it back shows none of it. An assertion is a bearer credential until it expires.
const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
const assertionMethods: Record<string, () => ClientAuthentication> = {
  private_key_jwt: () => privateKeyJwt({ key: privateKey, kid: "k1" }),
  client_secret_jwt: () => clientSecretJwt("a-client-secret-for-hmac-0123456789"),
  "custom client authentication's": () => customClientAuth("private_key_jwt", oauth.PrivateKeyJwt({ key: privateKey })),
};
const assertionEchoes: Record<string, (assertion: string, body: string) => string> = {
  bare: (assertion) => `bad assertion ${assertion}`,
  "in a Python dict": (assertion) => `invalid request {'client_assertion': '${assertion}', 'client_id': 's6BhdRkqt3'}`,
  "%3D-encoded": (_assertion, body) => `rejected ${encodeURIComponent(body)}`,
  "JSON-escaped, every symbol as \\uXXXX": (assertion) => `rejected ${JSON.stringify({ echo: assertion }).replace(/[^\w":{}]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}`,
};
const assertionPlacements: Record<string, (echo: string) => Response> = {
  error_description: (echo) => json({ error: "invalid_client", error_description: echo }, 401),
  bodySnippet: (echo) => new Response(`<html><body>${echo}</body></html>`, { status: 500, headers: { "content-type": "text/html" } }),
};

/** Each 8-character piece of the assertion found in `text`. */
const assertionPieces = (text: string, assertion: string) => pieces(text, assertion).concat(pieces(text, encodeURIComponent(assertion)));

for (const [method, clientAuth] of Object.entries(assertionMethods)) {
  for (const [shape, echo] of Object.entries(assertionEchoes)) {
    for (const [placement, reply] of Object.entries(assertionPlacements)) {
      test(`a ${method} assertion echoed ${shape} in the ${placement} shows in no error, message or event`, async () => {
        const { keeper, server, events } = harness({ clientSecret: undefined, clientAuth: clientAuth(), retry: false });
        let assertion = "";
        server.replies.push((request) => {
          assertion = form(request).get("client_assertion")!;
          return reply(echo(assertion, request.body));
        });
        const error = await failure(keeper.getToken());
        assert.ok(assertion.length > 100, "an assertion was sent");
        const shown = [error.message, String(error), JSON.stringify(error), error.bodySnippet ?? "", (error as { error_description?: string }).error_description ?? "", JSON.stringify(events)].join("\n");
        assert.ok(shown.includes("[redacted]"), shown);
        assert.equal(assertionPieces(shown, assertion), [], shown);
      });
    }
    test(`a ${method} assertion echoed ${shape} by a failing fetch shows nowhere in the cause chain`, async () => {
      let assertion = "";
      const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const body = String(init?.body);
        assertion = new URLSearchParams(body).get("client_assertion")!;
        throw new TypeError(`fetch failed: ${echo(assertion, body)}`, { cause: new Error(`socket closed: ${echo(assertion, body)}`) });
      };
      const { keeper, events } = harness({ clientSecret: undefined, clientAuth: clientAuth(), retry: false, fetch });
      const error = await failure(keeper.getToken());
      assert.is(error.code, "NETWORK_ERROR");
      const causes: string[] = [];
      for (let e: unknown = error; e instanceof Error; e = e.cause) causes.push(`${e.name}: ${e.message} ${String(e.stack)}`);
      assert.ok(causes.length >= 2, "the cause is kept");
      const shown = [...causes, JSON.stringify(events)].join("\n");
      assert.equal(assertionPieces(shown, assertion), [], shown);
    });
  }
}

test.run();
