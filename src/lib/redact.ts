/**
 * Redaction, in one place: every text that reaches an error, a snippet or an event passes through
 * a {@link Redactor} first and is cut after. A secret is matched by its 8-character pieces, in each
 * of its spellings (as given, with `+` for space, NFC, NFD, its UTF-8 bytes read as Latin-1), in the
 * text as given and in every decoding of the text up to three layers deep: backslash escapes (JSON,
 * JavaScript, Python), HTML character references and percent-encoding, one at a time, in every
 * order (JSON of HTML, HTML of percent, …). Where a text holds a character that may spell one of a
 * secret's characters in a way no decoder here knows (a named character reference other than a
 * numeric one, or any non-ASCII character, as mojibake in any single-byte code page makes), the
 * secret is also matched by its class form, in which every character but an ASCII letter or digit
 * is one wildcard. So no entity table is needed, and a server that echoes a secret in any of those
 * spellings, or only part of it, leaks no run of 8 or more of its characters.
 *
 * A piece found in the text as given is replaced where it is. A piece found only in a decoding is
 * not mapped back: the text is cut a little before where the decoding found it, and what is kept is
 * checked again (nothing is kept when any spelling remains in it).
 */

/** No run of this many characters of a secret survives a scrub. */
const pieceLength = 8;
/** Shorter values would redact ordinary words; they are matched whole from 4 characters. */
const minSecretLength = 4;
/** Layers of escaping undone, one decoder at a time, in every order. */
const maxDepth = 3;
const redacted = "[redacted]";
/** Every character but [A-Za-z0-9] in a class form, and each named character reference when decoded. */
const wildcard = "\0";

/** Members and parameters that hold a token or a secret whatever their value. */
const secretMember = /("(?:access_token|refresh_token|id_token|client_secret|client_assertion)"\s*:\s*)"(?:[^"\\]|\\.)*"?/gi;
const secretParameter = /\b((?:access_token|refresh_token|id_token|client_secret|client_assertion)=)[^&\s]*/gi;
/** Controls, line separators, and bidi overrides and isolates that would reorder what a terminal shows. */
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g;


/**
 * One layer of escaping undone each. A decoding is never longer than its input, so a character at
 * index `i` of a decoding `d` layers deep came from index `i - d` of the text or later.
 */
const decoders: readonly ((text: string) => string)[] = [
  // JSON, JavaScript and Python string escapes.
  (text) => text.replace(/\\(?:u([\da-f]{4})|x([\da-f]{2})|([^]))/gi, (_, u?: string, x?: string, c?: string) =>
    u ?? x ? String.fromCharCode(parseInt(u ?? x!, 16)) : "\b\f\n\r\t"["bfnrt".indexOf(c!)] ?? c!),
  // HTML character references: numeric ones exactly; named ones as the wildcard, but for those of
  // the characters that start an escape (HTML of HTML, of JSON, of percent).
  (text) => text.replace(/&(?:#(\d+)|#x([\da-f]+)|(amp|bsol|percnt|num|semi)|[a-z][a-z\d]*);/gi, (_, d?: string, x?: string, name?: string) =>
    name ? { amp: "&", bsol: "\\", percnt: "%", num: "#", semi: ";" }[name.toLowerCase()]! : d ?? x ? String.fromCodePoint(Math.min(parseInt(d ?? x!, d ? 10 : 16), 0x10ffff)) : wildcard),
  // Percent-encoded UTF-8, either case; octets that are not UTF-8 as Latin-1 (`+` for space is one
  // of the secret's spellings).
  (text) => text.replace(/(?:%[\da-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return unescape(run);
    }
  }),
];

/** Where pieces of some secrets are in a text: their ranges, by where they start. */
type Matcher = (text: string) => [number, number][];

/**
 * The secret values one keeper or one token request must never show: client secrets, assertions,
 * Basic credentials and issued tokens.
 */
export class Redactor {
  /** The secrets remembered, as given; their pieces are made on the first scrub (an error path). */
  readonly #secrets: string[];
  /** Pieces of every spelling of every secret, and of their class forms. */
  #matchers: readonly [exact: Matcher, classes: Matcher] | undefined;

  /** @param secrets Secrets to start with (the keeper's client secret); values under 4 characters are ignored. */
  constructor(secrets: readonly string[] = []) {
    this.#secrets = [];
    for (const secret of secrets) this.add(secret);
  }

  /** Remembers a secret value; non-strings and values under 4 characters are ignored. */
  add(value: unknown): void {
    if (typeof value !== "string" || value.length < minSecretLength || this.#secrets.includes(value)) return;
    this.#secrets.push(value);
    this.#matchers = undefined;
  }

  /** Remembers an `Authorization` header value: the credential, and for Basic its decoded parts. */
  addAuthorization(header: string): void {
    const credential = header.replace(/^\S+\s+/, "");
    this.add(credential);
    let decoded: string;
    try {
      decoded = atob(credential);
    } catch {
      return;
    }
    // The secret part only: the client id before the colon is no secret, and its pieces would
    // redact it wherever a message names the client.
    this.add(decoded.slice(decoded.indexOf(":") + 1));
  }

  /** Remembers every token member of a token response body. */
  addResponse(json: unknown): void {
    if (typeof json !== "object" || json === null) return;
    const record = json as Record<string, unknown>;
    for (const name of ["access_token", "refresh_token", "id_token"]) this.add(record[name]);
  }

  /** `text` with every remembered secret, in any spelling, and every token member replaced. */
  scrub(text: string): string {
    const bare = text.replace(secretMember, `$1"${redacted}"`).replace(secretParameter, `$1${redacted}`);
    if (this.#secrets.length === 0) return bare;
    let out = "";
    let cursor = 0;
    for (const [start, end] of (this.#matchers ??= this.#index())[0](bare)) {
      if (start >= cursor) out += bare.slice(cursor, start) + redacted;
      cursor = Math.max(cursor, end);
    }
    out += bare.slice(cursor);
    const cut = this.#first(out);
    if (cut === Infinity) return out;
    // Never keep half of a "[redacted]" put in above.
    const kept = out.slice(0, cut).replace(/\[[a-z]*$/, "");
    return (this.#first(kept) === Infinity ? kept : "") + redacted;
  }

  /**
   * A bounded excerpt for an error: scrubbed first, then stripped of control characters, then cut
   * to `maxLength` characters.
   */
  excerpt(text: string, maxLength: number): string {
    const clean = this.scrub(text).replace(controlCharacters, " ").trim();
    return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
  }

  /**
   * A copy of a caught error that is safe to keep as `cause`: the same name, a scrubbed message, a
   * string `code` (such as `ENOTFOUND`), and a cause chain copied the same way, three levels deep.
   * Nothing else of the original is kept.
   */
  safeError(error: unknown, depth = 3): Error | undefined {
    if (depth === 0 || typeof error !== "object" || error === null || !("message" in error)) return undefined;
    const { name, message, code, cause } = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const inner = this.safeError(cause, depth - 1);
    const copy = new Error(this.scrub(String(message)), inner === undefined ? undefined : { cause: inner });
    copy.name = this.scrub(String(name ?? "Error"));
    if (typeof code === "string") Object.defineProperty(copy, "code", { value: this.scrub(code), enumerable: true });
    return copy;
  }

  /**
   * The earliest index of `text` that a piece of a secret, found in `text` or in any of its
   * decodings, can have come from; `Infinity` when there is no piece.
   */
  #first(text: string): number {
    const [exact, classes] = this.#matchers!;
    let first = Infinity;
    const seen = new Set([text]);
    let layer = [text];
    for (let depth = 0; layer.length > 0; depth++) {
      const next: string[] = [];
      for (const view of layer) {
        const hits = exact(view);
        if (/[^\x01-\x7f]/.test(view)) hits.push(...classes(classForm(view)));
        for (const [start] of hits) first = Math.min(first, Math.max(0, start - depth));
        for (const decode of depth < maxDepth ? decoders : []) {
          const decoded = decode(view);
          if (!seen.has(decoded)) seen.add(decoded), next.push(decoded);
        }
      }
      layer = next;
    }
    return first;
  }

  #index(): readonly [Matcher, Matcher] {
    const spellings = new Set<string>();
    for (const secret of this.#secrets) {
      for (const form of [secret, secret.normalize("NFC"), secret.normalize("NFD")]) {
        const latin1 = Array.from(new TextEncoder().encode(form), (byte) => String.fromCharCode(byte)).join("");
        for (const spelling of [form, latin1]) spellings.add(spelling).add(spelling.replace(/ /g, "+"));
      }
    }
    return [matcher(spellings), matcher([...spellings].map(classForm))];
  }
}

/** `text` with every character but an ASCII letter or digit as the {@link wildcard}. */
function classForm(text: string): string {
  return text.replace(/[^a-zA-Z\d]/gu, wildcard);
}

/**
 * A matcher of the 8-character pieces of `secrets` (of shorter ones, the whole secret). It makes one
 * pass over a text per piece length with a rolling hash, so only a likely match costs a substring
 * and a set lookup: linear in the length of the text.
 */
function matcher(secrets: Iterable<string>): Matcher {
  const pieces = new Set<string>();
  const hashes = new Set<number>();
  const lengths = new Set<number>();
  for (const secret of secrets) {
    if (secret.length < minSecretLength) continue;
    const length = Math.min(secret.length, pieceLength);
    lengths.add(length);
    for (let i = 0; i + length <= secret.length; i++) pieces.add(secret.slice(i, i + length));
  }
  for (const piece of pieces) hashes.add(rollingHashes(piece, piece.length)[0]!);
  return (text) => {
    const hits: [number, number][] = [];
    for (const length of lengths) {
      const runs = rollingHashes(text, length);
      for (let start = 0; start < runs.length; start++) {
        if (hashes.has(runs[start]!) && pieces.has(text.slice(start, start + length))) hits.push([start, start + length]);
      }
    }
    return hits.sort((a, b) => a[0] - b[0]);
  };
}

/**
 * The rolling hash of every `length`-character run of `text`, by where the run starts: each
 * character shifted by its distance from the run's end, XORed, one out as one comes in.
 */
function rollingHashes(text: string, length: number): Int32Array {
  const runs = new Int32Array(Math.max(0, text.length + 1 - length));
  for (let i = 0, hash = 0; i < text.length; i++) {
    hash = (hash << 1) ^ text.charCodeAt(i) ^ (text.charCodeAt(i - length) << length);
    if (i + 1 >= length) runs[i + 1 - length] = hash;
  }
  return runs;
}
