/** Reads the published Feature folders (features/src/<id>) shipped in the package, for vendoring. */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { packagePath } from "../paths.js";
import type { RenderedFile, Tree } from "../core/tree.js";

export function readFeatureTree(id: string): Tree {
  const root = packagePath("features", "src", id);
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((entry) => join(root, entry))
    .filter((path) => statSync(path).isFile())
    .sort();
  return new Map<string, RenderedFile>(
    files.map((path) => [
      relative(root, path).split(sep).join("/"),
      { content: readFileSync(path, "utf8"), mode: statSync(path).mode & 0o777 },
    ]),
  );
}

export function readFeatureTrees(ids: readonly string[]): Map<string, Tree> {
  return new Map(ids.map((id) => [id, readFeatureTree(id)]));
}
