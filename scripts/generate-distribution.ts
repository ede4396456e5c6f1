/** Renders what ships beside the Features, from the same registry: the layered images, the templates, the workflows. */
import { readFileSync } from "node:fs";
import { DEFAULT_FEATURE_OWNER } from "../src/features/refs.js";
import { featureSources } from "../src/images/features.js";
import { renderImages } from "../src/images/index.js";
import type { ImageRelease } from "../src/images/oci.js";
import { packagePath } from "../src/paths.js";
import { mergeTrees, type Tree } from "../src/core/tree.js";
import { renderTemplates } from "../src/templates/index.js";
import { renderRepoWorkflows } from "../src/workflows/index.js";

export function packageRelease(): ImageRelease {
  const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string; license: string };
  return { version: pkg.version, license: pkg.license, owner: DEFAULT_FEATURE_OWNER };
}

/** @param features the rendered Features tree: the registry every image installs from. */
export function renderDistribution(features: Tree): Tree {
  const release = packageRelease();
  return mergeTrees(renderImages(features, release), renderTemplates(), renderRepoWorkflows(featureSources(features)));
}
