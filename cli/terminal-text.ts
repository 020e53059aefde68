// Text a terminal shows as text: the characters that a terminal acts on, or that reorder what it
// shows, are written as visible escapes. A token server, a certificate or anyone on the network
// path could otherwise set the window title, clear the screen, erase a WARN line, write the
// clipboard (OSC 52) or reverse a line's reading order.

/**
 * C0 controls other than tab and newline, DEL, C1 controls (U+0080-U+009F: 8-bit CSI and OSC
 * among them), and the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Writes each control, DEL, C1 and bidi override or isolate character of `text` as `\uXXXX`, so
 * a reader sees that something was there. One notation for all of them keeps JSON output valid
 * JSON (`tokenkeeper token --json`): `\u001b` is the escape JSON itself uses. Linear in the length.
 *
 * @param text Any text.
 * @returns The text with those characters escaped; other characters, tab and newline unchanged.
 * @example Escaping a window-title sequence
 * ```ts
 * escapeControls("\u001b]0;pwned\u0007"); // "\\u001b]0;pwned\\u0007"
 * ```
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
