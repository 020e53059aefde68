// Defence in depth for everything a command prints: the library never puts a secret or a token in
// an error, and the commands never print one on purpose; this scrubs every spelling anyway.

/** RFC 6749 §2.3.1 form of a Basic credential part, as `clientSecretBasic()` sends it. */
function basicPart(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The spellings a value may take in output: raw, percent-encoded, form-encoded, JSON-escaped and
 * HTML-escaped.
 *
 * @param value A secret or a token.
 * @returns Its distinct spellings.
 */
export function spellingsOf(value: string): string[] {
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const html = value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  return [...new Set([value, encodeURIComponent(value), form, JSON.stringify(value).slice(1, -1), html])];
}

/** Replaces every spelling of the values it was given with `[redacted]`. */
export class Scrubber {
  #spellings: string[] = [];

  /**
   * Adds a value to scrub (values shorter than 3 characters are not: they would garble text).
   *
   * @param value A secret, a token or a key.
   */
  add(value: string | undefined): void {
    if (value === undefined || value.length < 3) return;
    for (const spelling of spellingsOf(value)) if (!this.#spellings.includes(spelling)) this.#spellings.push(spelling);
    // Longest first, so that a spelling containing another is replaced whole.
    this.#spellings.sort((a, b) => b.length - a.length);
  }

  /**
   * Adds the HTTP Basic credential of a client id and secret, both as RFC 6749 §2.3.1 encodes it
   * and raw.
   *
   * @param clientId The client id.
   * @param secret The client secret.
   */
  addBasic(clientId: string, secret: string): void {
    this.add(btoa(`${basicPart(clientId)}:${basicPart(secret)}`));
    if (/^[\x00-\xff]*$/.test(`${clientId}:${secret}`)) this.add(btoa(`${clientId}:${secret}`));
  }

  /**
   * Scrubs a text.
   *
   * @param text Text about to be printed.
   * @returns The text with every known spelling replaced by `[redacted]`.
   */
  scrub(text: string): string {
    let out = text;
    for (const spelling of this.#spellings) out = out.split(spelling).join("[redacted]");
    return out;
  }
}
