/**
 * Where the top-level members of a JSON object sit in its text, so one member can be replaced without
 * reformatting the rest of the file. Comments (`//`, `/* *\/`, as Gemini and VS Code allow) are blanked
 * to spaces first, which keeps every offset equal to the original text's.
 */

export interface JsonMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** The value spans [valueStart, valueEnd). */
  valueStart: number;
  valueEnd: number;
}

export interface JsonLayout {
  /** Offsets of the top-level object's `{` and `}`. */
  open: number;
  close: number;
  members: JsonMember[];
}

/** Replaces comments (and a byte-order mark) with spaces, keeping newlines and string contents. */
export function blankComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\r\n]/g, " ");
      i = stop;
    } else {
      out += i === 0 && ch === "\uFEFF" ? " " : ch;
      i += 1;
    }
  }
  return out;
}

/**
 * Scans text that JSON.parse accepted (after blankComments) and whose top level is an object.
 * Relying on that, it only needs to find where strings and nested values end.
 */
export function jsonLayout(clean: string): JsonLayout {
  const open = clean.indexOf("{");
  const members: JsonMember[] = [];
  let i = skipSpace(clean, open + 1);
  while (clean[i] !== "}") {
    const keyStart = i;
    const keyEnd = stringEnd(clean, i);
    const key = JSON.parse(clean.slice(keyStart, keyEnd)) as string;
    const valueStart = skipSpace(clean, skipSpace(clean, keyEnd) + 1);
    const valueEnd = valueEndAt(clean, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd });
    i = skipSpace(clean, valueEnd);
    if (clean[i] === ",") i = skipSpace(clean, i + 1);
  }
  return { open, close: i, members };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  return i;
}

/** Offset just past the string starting at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

function valueEndAt(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== "{" && first !== "[") {
    let i = start;
    while (i < text.length && !/[\s,}\]]/.test(text[i] as string)) i += 1;
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === "{" || ch === "[") depth += 1;
    else if (ch === "}" || ch === "]") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return i;
}
