/**
 * Redaction, in one place: every text that reaches an error, a snippet or an event passes through
 * a {@link Redactor} first and is cut after. A secret is matched by its 8-character pieces in the
 * text as given and in the text with its escapes decoded (JSON `\uXXXX` and `\/`, HTML entities,
 * percent-encoding with and without `+` for space), so a server that echoes a secret in any of
 * those spellings, or only part of it, leaks no run of 8 or more of its characters.
 */

/** No run of this many characters of a secret survives a scrub. */
const pieceLength = 8;
/** Shorter values would redact ordinary words; they are matched whole from 4 characters. */
const minSecretLength = 4;
const redacted = "[redacted]";

/** JSON escapes, HTML character references and runs of percent-encoded octets. */
const escapes = /\\(?:u([0-9a-fA-F]{4})|([\\/"bfnrt]))|&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));|((?:%[0-9a-fA-F]{2})+)/y;
const simpleEscapes: Record<string, string> = { "\\": "\\", "/": "/", '"': '"', b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
/** Members and parameters that hold a token or a secret whatever their value. */
const secretMember = /("(?:access_token|refresh_token|id_token|client_secret|client_assertion)"\s*:\s*)"(?:[^"\\]|\\.)*"?/gi;
const secretParameter = /\b((?:access_token|refresh_token|id_token|client_secret|client_assertion)=)[^&\s]*/gi;
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** A decoded copy of a text, each of its UTF-16 units mapped to the range it came from. */
interface View {
  readonly text: string;
  readonly from: readonly number[];
  readonly to: readonly number[];
}

/**
 * The secret values one keeper or one token request must never show: client secrets, assertions,
 * Basic credentials and issued tokens.
 */
export class Redactor {
  /** The secrets remembered, as given; their pieces are made on the first scrub (an error path). */
  readonly #secrets: string[];
  #pieces: Set<string> | undefined;
  #whole: string[] | undefined;

  /** @param from A redactor whose secrets this one starts with. */
  constructor(from?: Redactor) {
    this.#secrets = from === undefined ? [] : [...from.#secrets];
  }

  /** Remembers a secret value; non-strings and values under 4 characters are ignored. */
  add(value: unknown): void {
    if (typeof value !== "string" || value.length < minSecretLength || this.#secrets.includes(value)) return;
    this.#secrets.push(value);
    this.#pieces = this.#whole = undefined;
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
    this.add(decoded);
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
    const hits: [number, number][] = [];
    this.#find(identity(bare), hits);
    for (const plusIsSpace of [false, true]) {
      const view = decode(bare, plusIsSpace);
      if (view.text !== bare) this.#find(view, hits);
    }
    return hits.length === 0 ? bare : replaceRanges(bare, hits);
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

  #find(view: View, hits: [number, number][]): void {
    if (this.#pieces === undefined || this.#whole === undefined) {
      // Secrets of 8 characters or more by their pieces; shorter ones whole.
      this.#pieces = new Set();
      this.#whole = [];
      for (const secret of this.#secrets) {
        if (secret.length < pieceLength) this.#whole.push(secret);
        for (let i = 0; i + pieceLength <= secret.length; i++) this.#pieces.add(secret.slice(i, i + pieceLength));
      }
    }
    const { text, from, to } = view;
    const hit = (start: number, end: number) => hits.push([from[start]!, to[end - 1]!]);
    if (this.#pieces.size > 0) {
      for (let i = 0; i + pieceLength <= text.length; i++) {
        if (this.#pieces.has(text.slice(i, i + pieceLength))) hit(i, i + pieceLength);
      }
    }
    for (const value of this.#whole) {
      for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) hit(i, i + value.length);
    }
  }
}

function identity(text: string): View {
  const from = Array.from({ length: text.length }, (_, i) => i);
  return { text, from, to: from.map((i) => i + 1) };
}

/** Decodes JSON escapes, HTML character references and percent-encoding, keeping the positions. */
function decode(text: string, plusIsSpace: boolean): View {
  let out = "";
  const from: number[] = [];
  const to: number[] = [];
  const push = (decoded: string, start: number, end: number) => {
    out += decoded;
    for (let k = 0; k < decoded.length; k++) from.push(start), to.push(end);
  };
  for (let i = 0; i < text.length;) {
    escapes.lastIndex = i;
    const m = escapes.exec(text);
    if (m === null) {
      push(plusIsSpace && text[i] === "+" ? " " : text[i]!, i, i + 1);
      i++;
      continue;
    }
    const end = i + m[0].length;
    if (m[6] !== undefined) decodePercentRun(m[6], i, push);
    else push(unescapeOne(m), i, end);
    i = end;
  }
  return { text: out, from, to };
}

function unescapeOne(m: RegExpExecArray): string {
  if (m[1] !== undefined) return String.fromCharCode(parseInt(m[1], 16));
  if (m[2] !== undefined) return simpleEscapes[m[2]]!;
  const code = m[3] !== undefined ? parseInt(m[3], 10) : m[4] !== undefined ? parseInt(m[4], 16) : undefined;
  if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD";
  return entities[m[5]!]!;
}

/** Decodes `%XX` octets as UTF-8, one sequence at a time, so each character keeps its own range. */
function decodePercentRun(run: string, start: number, push: (decoded: string, start: number, end: number) => void): void {
  const bytes = Uint8Array.from({ length: run.length / 3 }, (_, k) => parseInt(run.slice(3 * k + 1, 3 * k + 3), 16));
  const decoder = new TextDecoder();
  for (let k = 0; k < bytes.length;) {
    const lead = bytes[k]!;
    const size = lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    const n = Math.min(size, bytes.length - k);
    push(decoder.decode(bytes.subarray(k, k + n)), start + 3 * k, start + 3 * (k + n));
    k += n;
  }
}

function replaceRanges(text: string, hits: [number, number][]): string {
  hits.sort((a, b) => a[0] - b[0]);
  let out = "";
  let cursor = 0;
  let [start, end] = hits[0]!;
  for (const [nextStart, nextEnd] of hits) {
    if (nextStart <= end) {
      end = Math.max(end, nextEnd);
      continue;
    }
    out += text.slice(cursor, start) + redacted;
    cursor = end;
    start = nextStart;
    end = nextEnd;
  }
  return out + text.slice(cursor, start) + redacted + text.slice(end);
}
