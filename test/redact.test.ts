import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Redactor } from "../src/redact.ts";

const test = suite("redaction");

const SECRET = "my secret+1/é&<x>\"q'%25";

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
const spellings: Record<string, string> = {
  raw: SECRET,
  "form-encoded": new URLSearchParams([["client_secret", SECRET]]).toString(),
  "percent-encoded": encodeURIComponent(SECRET),
  "JSON-escaped": JSON.stringify({ echo: SECRET }),
  "JSON-escaped with \\/ and \\uXXXX": unicodeEscaped(JSON.stringify({ echo: SECRET }).replace(/\//g, "\\/")),
  "HTML-escaped": SECRET.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  "HTML numeric references": [...SECRET].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(""),
  "JSON-escaped form body": JSON.stringify({ body: `grant_type=client_credentials&client_secret=${encodeURIComponent(SECRET).replace(/%20/g, "+")}` }),
};

for (const [name, spelling] of Object.entries(spellings)) {
  test(`scrub() removes a secret echoed ${name}`, () => {
    const out = redactor().scrub(`the server said: ${spelling} (end)`);
    assert.equal(pieces(out, SECRET), [], out);
    assert.ok(out.includes("[redacted]"), out);
    assert.ok(out.startsWith("the server said: ") && out.endsWith(" (end)"), `surrounding text is kept: ${out}`);
  });
}

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

test("a redactor made from another starts with its secrets and adds its own apart", () => {
  const base = redactor();
  const child = new Redactor(base);
  child.add("request-only-secret");
  assert.equal(pieces(child.scrub(SECRET), SECRET), []);
  assert.ok(base.scrub("request-only-secret").includes("request-only-secret"), "the base is not changed");
});

test.run();
