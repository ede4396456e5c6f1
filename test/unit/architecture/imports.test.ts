/**
 * The module graph of src/: no import cycles, and no folder importing from a layer above it (the CLI
 * and the in-container hooks are entry points; nothing else may depend on them; the folders stand in the
 * order FLOORS gives). Imports are read from the source text, so a new cycle fails here before it can
 * confuse load order or reviewers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");

/** Entry-point folders: they may import anything; only they (and scripts/tests) may import them. */
const ENTRY_FOLDERS = ["cli", "hooks"];

/**
 * src/'s folders (and top-level files), from the ground floor up: a file may import from its own floor or
 * one below, never from above. Written from the import graph; a floor of several units is a knot still to
 * untie (issue 21), whose members import each other:
 * - agents, catalogue, mcp: an agent's record names its MCP renderer, and MCP code looks agents up;
 * - render, workflows: the scaffold renders the agent CI workflow, which renders a devcontainer.json;
 * - launch, tasks: tasks read a launch's state, and sync's targets read a task's diff.
 */
const FLOORS: readonly (readonly string[])[] = [
  ["core"],
  ["errors.ts"],
  ["paths.ts"],
  ["terminal.ts"],
  ["labels.ts"],
  ["engine"],
  ["generated"],
  ["model"],
  ["hook-steps.ts"],
  ["schema"],
  ["write"],
  ["host"],
  ["workspace"],
  ["agents", "catalogue", "mcp"],
  ["scaffold-defaults.ts"],
  ["auth"],
  ["features"],
  ["egress"],
  ["limits"],
  ["images"],
  ["render", "workflows"],
  ["offline"],
  ["templates"],
  ["launch", "tasks"],
  ["lifecycle"],
  ["hooks"],
  ["index.ts"],
  ["ui"],
  ["cli"],
];

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

/** Imports from a lower floor to a higher one, as `file -> target`. */
function backEdges(edges: Map<string, string[]>, floors: readonly (readonly string[])[]): string[] {
  const floor = (file: string) => floors.findIndex((units) => units.includes(folderOf(file)));
  return [...edges].flatMap(([file, targets]) => targets.filter((target) => floor(target) > floor(file)).map((target) => `${file} -> ${target}`));
}

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

  it("places every folder and top-level file of src/ on exactly one floor", () => {
    const units = [...new Set([...graph().keys()].map(folderOf))].sort();
    expect([...FLOORS.flat()].sort()).toEqual(units);
  });

  it("never imports from a higher floor", () => {
    expect(backEdges(graph(), FLOORS)).toEqual([]);
  });

  it("finds an import from a higher floor when there is one", () => {
    const edges = new Map([["core/tree.ts", ["write/writer.ts"]], ["write/writer.ts", ["core/tree.ts"]], ["cli/main.ts", ["write/writer.ts"]]]);
    expect(backEdges(edges, [["core"], ["write"], ["cli"]])).toEqual(["core/tree.ts -> write/writer.ts"]);
  });

  it("finds a cycle when there is one", () => {
    const edges = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
    expect(cycles(edges)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });
});
