/**
 * The statement structure of a TOML text: where each table header, top-level key/value and comment line
 * starts and ends, so the `mcp_servers` parts can be cut out and everything else kept byte for byte.
 * It runs only on text smol-toml has accepted, so it needs to find where things end, not to validate:
 * the care goes into strings (multi-line ones may hold lines that look like headers) and multi-line
 * arrays and inline tables.
 */

export type TomlItem =
  | { kind: "header"; array: boolean; path: string[]; start: number; end: number }
  | { kind: "keyvalue"; path: string[]; start: number; end: number }
  | { kind: "comment"; text: string; start: number; end: number };

/** Items in document order; each spans whole lines, from its line's start to just past its newline. */
export function tomlLayout(text: string): TomlItem[] {
  const items: TomlItem[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const i = skipBlank(text, lineStart);
    const ch = text[i];
    if (ch === undefined || ch === "\n" || ch === "\r") {
      lineStart = lineEnd(text, i);
    } else if (ch === "#") {
      const end = lineEnd(text, i);
      items.push({ kind: "comment", text: text.slice(i, end).replace(/\r?\n$/, ""), start: lineStart, end });
      lineStart = end;
    } else if (ch === "[") {
      const array = text[i + 1] === "[";
      const key = readKey(text, skipBlank(text, i + (array ? 2 : 1)));
      const end = lineEnd(text, key.end);
      items.push({ kind: "header", array, path: key.path, start: lineStart, end });
      lineStart = end;
    } else {
      const key = readKey(text, i);
      const valueStart = skipBlank(text, skipBlank(text, key.end) + 1); // past "="
      const end = lineEnd(text, valueEnd(text, valueStart));
      items.push({ kind: "keyvalue", path: key.path, start: lineStart, end });
      lineStart = end;
    }
  }
  return items;
}

function skipBlank(text: string, i: number): number {
  while (text[i] === " " || text[i] === "\t") i += 1;
  return i;
}

/** Offset just past the newline that ends the line holding `i` (the rest of it is blanks or a comment). */
function lineEnd(text: string, i: number): number {
  const newline = text.indexOf("\n", i);
  return newline === -1 ? text.length : newline + 1;
}

/** A dotted key: bare, "basic" or 'literal' parts separated by dots (blanks allowed around them). */
function readKey(text: string, start: number): { path: string[]; end: number } {
  const path: string[] = [];
  let i = start;
  for (;;) {
    i = skipBlank(text, i);
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const end = stringEnd(text, i);
      path.push(decodeQuoted(text.slice(i, end)));
      i = end;
    } else {
      const bare = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256))?.[0] ?? "";
      path.push(bare);
      i += bare.length;
    }
    i = skipBlank(text, i);
    if (text[i] !== ".") return { path, end: i };
    i += 1;
  }
}

function decodeQuoted(quoted: string): string {
  if (quoted.startsWith("'")) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    // TOML-only escapes (\e, \xHH): the raw text is close enough to recognise an mcp_servers key.
    return quoted.slice(1, -1);
  }
}

/** Offset just past the value starting at `start`. Scalars end at the line's end, which is all we need. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"' || first === "'") return stringEnd(text, start);
  if (first !== "[" && first !== "{") return start;
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === "#") {
      i = lineEnd(text, i);
      continue;
    }
    if (ch === "[" || ch === "{") depth += 1;
    else if (ch === "]" || ch === "}") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return i;
}

/** Offset just past the string starting at `start`: basic, literal, or either multi-line form. */
function stringEnd(text: string, start: number): number {
  const quote = text[start] as '"' | "'";
  const escapes = quote === '"';
  const triple = quote.repeat(3);
  if (text.startsWith(triple, start)) {
    let i = start + 3;
    while (i < text.length && !text.startsWith(triple, i)) i += escapes && text[i] === "\\" ? 2 : 1;
    i += 3;
    // Up to two more quotes right before the closing delimiter belong to the content (`"""a"""""`).
    for (let extra = 0; extra < 2 && text[i] === quote; extra += 1) i += 1;
    return i;
  }
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += escapes && text[i] === "\\" ? 2 : 1;
  return i + 1;
}
