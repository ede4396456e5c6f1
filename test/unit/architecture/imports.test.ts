/**
 * The module graph of src/: no import cycles, and no folder importing from a layer above it (the CLI
 * and the in-container hooks are entry points; nothing else may depend on them). Imports are read from
 * the source text, so a new cycle fails here before it can confuse load order or reviewers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");

/** Entry-point folders: they may import anything; only they (and scripts/tests) may import them. */
const ENTRY_FOLDERS = ["cli", "hooks"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative static and dynamic imports of one file (type-only imports count: they still couple the modules). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm)].map((m) => m[1]!);
  return specifiers.map((spec) => relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, ".ts"))));
}

function graph(): Map<string, string[]> {
  return new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), importsOf(file)]));
}

/** Every elementary cycle's first appearance in a depth-first walk, as a path of files. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

const folderOf = (file: string): string => file.split("/")[0]!;

describe("src/ module graph", () => {
  it("resolves every relative import to a file in src/", () => {
    const edges = graph();
    const missing = [...edges].flatMap(([file, targets]) => targets.filter((t) => !edges.has(t)).map((t) => `${file} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles(graph()).map((cycle) => cycle.join(" -> "))).toEqual([]);
  });

  it("imports the entry points (cli/, hooks/) only from themselves", () => {
    const upward = [...graph()].flatMap(([file, targets]) =>
      targets
        .filter((t) => ENTRY_FOLDERS.includes(folderOf(t)) && folderOf(t) !== folderOf(file))
        .map((t) => `${file} -> ${t}`),
    );
    expect(upward).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const edges = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
    expect(cycles(edges)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });
});
