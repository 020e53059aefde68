// What a hostile server, certificate or network path puts in a field to act on a terminal, and
// the oracle that a command's raw output holds none of it, while showing that it was there.
import * as assert from "uvu/assert";
import type { Ran } from "../package/pack.ts";

/** Characters a terminal acts on or that reorder a line: C0 but tab and newline, DEL, C1, bidi. */
export const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * A value for a field the server sends in a body (JSON, so any character goes): the field's name,
 * then a window title, clear screen, an OSC 52 clipboard write, carriage return and erase line,
 * 8-bit CSI and OSC (C1), a right-to-left override, a bidi isolate and DEL.
 */
export function hostile(field: string): string {
  return `${field}:\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;cm0gLXJmIH4=\u0007\r\u001b[2K\u009b2J\u009d0;pwned\u009c\u202eevil\u2066\u007f`;
}

/**
 * A value for a header, as latin1 characters (one byte each): HTTP parsers refuse ESC and other
 * C0 controls in a header, but pass bytes 0x80-0xFF, which fetch reads as U+0080-U+00FF: 8-bit
 * CSI and OSC, and the UTF-8 bytes of U+202E (read as "â\u0080®").
 */
export function hostileHeader(field: string): string {
  return `${field}:\u009b2J\u009d0;pwned\u009c${Buffer.from("\u202e", "utf8").toString("latin1")}`;
}

/**
 * Asserts that a command's output holds no raw terminal control, DEL, C1 or bidi character, and
 * that each field's value reached the output visibly escaped.
 *
 * @param ran The command's output, raw.
 * @param fields The field names whose hostile values must be shown, escaped.
 * @param neutralised Field names whose values reach the command inside the library's error
 *   messages, where the library has already turned controls and bidi characters into spaces:
 *   their visible rest must be shown.
 */
export function assertTerminalSafe(ran: Ran, fields: readonly string[] = [], neutralised: readonly string[] = []): void {
  for (const stream of ["stdout", "stderr"] as const) {
    const found = UNSAFE.exec(ran[stream]);
    assert.not.ok(found, `${stream} holds U+${found?.[0].charCodeAt(0).toString(16).padStart(4, "0")} raw at ${found?.index}: ${JSON.stringify(ran[stream].slice(Math.max(0, (found?.index ?? 0) - 40), (found?.index ?? 0) + 10))}`);
  }
  const output = ran.stdout + ran.stderr;
  for (const field of fields) {
    assert.match(output, new RegExp(`${field}:[^\\n]*?\\\\u(?:001b|009b|009d|202e|0080)`), `the ${field} value is shown, escaped`);
  }
  for (const field of neutralised) {
    assert.match(output, new RegExp(`${field}: ?\\]0;pwned [^\\n]*?evil`), `the ${field} value is shown, its controls spaces`);
  }
}
