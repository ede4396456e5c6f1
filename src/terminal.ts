/**
 * Text from a container, made safe to print on the host's terminal (and to show on the dashboard, where it
 * can be copied into one). An agent that reaches the user's terminal can write the clipboard (OSC 52),
 * retitle the window, clear the screen or fake a success line; so every byte the host prints that a
 * container could have chosen goes through this module, in the CLI and on the page alike.
 *
 * The notation, one for everything: a control character is shown as `\xHH` (C0 controls, DEL and the C1
 * controls U+0080–U+009F, which some terminals obey as 8-bit ESC, CSI, OSC…) or `\uHHHH` (the Unicode
 * controls that reorder or break lines: bidi embeddings, overrides and isolates, the line and paragraph
 * separators; "Trojan Source"). Newline and tab are kept, and so is CR directly before LF (a CRLF line end
 * moves nothing); a bare CR, which returns to the line's start to overwrite it, is escaped. A backslash is
 * not: the text stays readable, at the price that a literal `\x1b` in it looks like an escaped ESC.
 */
import { StringDecoder } from "node:string_decoder";

/** What `escapeControls` replaces: controls but \t, \n and CR before LF; bidi and line-separator characters. */
const IN_TEXT = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What `escapeLine` replaces: the same, with newline, tab and every CR. */
const IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Characters JSON.stringify leaves as they are that a terminal would act on. */
const IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Multi-line text (a log, a transcript, a diff): every control character visible, lines kept. */
export function escapeControls(text: string): string {
  return text.replace(IN_TEXT, visible);
}

/** One line of a message (an error from the container, a name): newlines and tabs escaped as well. */
export function escapeLine(text: string): string {
  return text.replace(IN_LINE, visible);
}

/**
 * JSON for stdout: the same value (a script reads the exact bytes), with the characters JSON.stringify
 * leaves raw (DEL, C1, bidi) written as \u escapes too, so printing it on a terminal is safe.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Git's escapes with a letter (quote.c); every other byte that needs one is written in octal. */
const GIT_LETTERS: Record<number, string> = { 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 0x22: '"', 0x5c: "\\" };

/**
 * A file name as git prints it with `core.quotePath` on (its default): as it is when every byte is
 * printable ASCII other than `"` and `\`, else in double quotes with C escapes and each other byte, UTF-8
 * included, in octal ("caf\303\251", "\033]52;c;aGk=\a.txt").
 */
export function quotePath(path: string): string {
  let quoted = "";
  let needed = false;
  for (const byte of Buffer.from(path, "utf8")) {
    if (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c) {
      quoted += String.fromCharCode(byte);
      continue;
    }
    needed = true;
    quoted += `\\${GIT_LETTERS[byte] ?? byte.toString(8).padStart(3, "0")}`;
  }
  return needed ? `"${quoted}"` : path;
}

/**
 * For a stream (`logs --follow`): bytes in, escaped text out. A UTF-8 character or a CR split across two
 * chunks is held until the next one, so the answer does not depend on where the chunks were cut.
 */
export function controlEscaper(): { write(chunk: Buffer): string; end(): string } {
  const decoder = new StringDecoder("utf8");
  let held = "";
  const take = (text: string, last: boolean): string => {
    const all = held + text;
    held = !last && all.endsWith("\r") ? "\r" : "";
    return escapeControls(held ? all.slice(0, -1) : all);
  };
  return { write: (chunk) => take(decoder.write(chunk), false), end: () => take(decoder.end(), true) };
}
