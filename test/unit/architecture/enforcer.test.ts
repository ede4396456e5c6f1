/**
 * The egress enforcer is a sidecar: its bundle (egress/proxy.cjs, from src/egress/enforcer-main.ts) may
 * import only its own folder, Node's standard library, and smol-toml (it reads the team's
 * .devcontainer/egress.toml at every change). Anything else (the agent catalogue, MCP, the renderers) is
 * code the sidecar never runs, and attack surface. Read from the source text, type-only imports included.
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");
const ENTRY = "egress/enforcer-main.ts";
const PACKAGES = ["smol-toml"];

function specifiers(file: string): string[] {
  const text = readFileSync(resolve(SRC, file), "utf8");
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)].map((m) => m[1]!);
}

/** Every file and package the entry reaches, as `src/`-relative paths and bare names. */
function closure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const spec of specifiers(file)) {
      if (!spec.startsWith(".")) {
        packages.add(spec);
        continue;
      }
      const target = relative(SRC, resolve(dirname(resolve(SRC, file)), spec.replace(/\.js$/, ".ts")));
      if (!files.has(target)) {
        files.add(target);
        queue.push(target);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe("the enforcer bundle's imports", () => {
  const reached = closure(ENTRY);

  it("stay in src/egress/", () => {
    expect(reached.files.filter((file) => !file.startsWith("egress/"))).toEqual([]);
  });

  it("reach no package but Node's and smol-toml", () => {
    expect(reached.packages.filter((name) => !name.startsWith("node:") && !PACKAGES.includes(name))).toEqual([]);
  });

  it("would name a file outside the folder (the layout module, which reaches the catalogue)", () => {
    expect(closure("egress/layout.ts").files.some((file) => file.startsWith("agents/"))).toBe(true);
  });
});
