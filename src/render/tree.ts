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

/** JSON with a leading `//` line, for formats read as JSONC (devcontainer.json). */
export function renderJsonc(header: string, value: unknown): string {
  return `// ${header}\n${renderJson(value)}`;
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
