/** Reads the generated egress assets (egress/egress.sh, egress/proxy.cjs) shipped with the package. */
import { readFileSync } from "node:fs";
import { packagePath } from "../paths.js";
import type { Tree } from "../core/tree.js";

export function readEgressAssets(): Tree {
  return new Map(
    ["egress/egress.sh", "egress/proxy.cjs"].map((path) => [path, { content: readFileSync(packagePath(...path.split("/")), "utf8") }]),
  );
}
