/** A rendered tree is a value: relative POSIX path → file. Renderers build it; one writer puts it on disk. */

export interface RenderedFile {
  content: string;
  /** Unix permission bits; 0o644 when absent. */
  mode?: number;
  /**
   * A starter the user owns from then on (e.g. the MCP source): written only where no file exists, never
   * updated, never reported as a conflict, and left out of the manifest.
   */
  once?: boolean;
}

export type Tree = ReadonlyMap<string, RenderedFile>;

/** Deterministic JSON: the object's own key order (renderers build it in a fixed order), two-space indent, final newline. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * JSONC (devcontainer.json) for a person to read: a leading `//` line, a `//` line before each top-level key
 * that `comments` explains, lists of plain values (an argv, a host list) filled into lines of at most
 * INLINE_WIDTH (a short one on the key's own line), not one value per line, and a short nested map of plain
 * values on one line.
 * Otherwise the same bytes as renderJson: deterministic, two-space indent, final newline.
 */
export function renderJsonc(header: string, value: unknown, comments: Readonly<Record<string, string>> = {}): string {
  return `// ${header}\n${formatJsonc(value, "", comments)}\n`;
}

/** A list of plain values is put on one line when its line stays within this width. */
const INLINE_WIDTH = 100;

function formatJsonc(value: unknown, indent: string, comments: Readonly<Record<string, string>>, keyWidth = 0): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
    const plain = value.every((item) => item === null || typeof item !== "object");
    if (plain && indent.length + keyWidth + flat.length <= INLINE_WIDTH) return flat;
    if (plain) return `[\n${fillLines(value.map((item) => JSON.stringify(item)), inner.length).map((line) => inner + line).join("\n")}\n${indent}]`;
    return `[\n${value.map((item) => inner + formatJsonc(item, inner, {})).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return "{}";
    // A small map of plain values inside another (a Feature's options) stays on its key's line when it fits.
    const flat = `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`).join(", ")} }`;
    const plain = entries.every(([, item]) => item === null || typeof item !== "object");
    if (indent !== "" && plain && Object.keys(comments).length === 0 && indent.length + keyWidth + flat.length <= INLINE_WIDTH) return flat;
    const lines = entries.map(([key, item]) => {
      const name = `${JSON.stringify(key)}: `;
      const comment = comments[key] === undefined ? "" : `${inner}// ${comments[key]}\n`;
      return `${comment}${inner}${name}${formatJsonc(item, inner, {}, name.length)}`;
    });
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Comma-separated items, as many to a line as fit the width (an item longer than that gets its own line). */
function fillLines(items: readonly string[], indentWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const [index, item] of items.entries()) {
    const text = index < items.length - 1 ? `${item},` : item;
    if (line !== "" && indentWidth + line.length + 1 + text.length > INLINE_WIDTH) {
      lines.push(line);
      line = text;
    } else line = line === "" ? text : `${line} ${text}`;
  }
  return [...lines, line];
}

export function jsonFile(value: unknown): RenderedFile {
  return { content: renderJson(value) };
}

/** Merges trees in order; a path rendered twice is a bug in the renderers, not a user error. */
export function mergeTrees(...trees: Tree[]): Tree {
  const merged = new Map<string, RenderedFile>();
  for (const tree of trees) {
    for (const [path, file] of tree) {
      if (merged.has(path)) throw new Error(`two renderers produced ${path}`);
      merged.set(path, file);
    }
  }
  return new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Places a tree under a folder. */
export function prefixTree(prefix: string, tree: Tree): Tree {
  return new Map([...tree].map(([path, file]) => [`${prefix}/${path}`, file]));
}
