/**
 * The Features an image installs, read from the rendered Features tree (features/src/<id>/…): the one
 * registry of Features, so a Feature added to the generator lands in the images without another list.
 */
import { AGENT_IDS, isAgentId } from "../catalogue/agents.js";
import type { FeatureMetadata } from "../model/feature.js";
import type { Tree } from "../core/tree.js";

export const FEATURES_ROOT = "features/src";
/** Files under this folder of a Feature are its hook bundles, installed in the images' last layers. */
const HOOKS_DIR = "hooks/";

export interface FeatureSource {
  id: string;
  metadata: FeatureMetadata;
  /** Files of the Feature folder, relative to it, sorted. */
  files: string[];
}

/** Every Feature in the tree: the others first (by id), then the agents in catalogue order. */
export function featureSources(tree: Tree): FeatureSource[] {
  const files = new Map<string, string[]>();
  for (const path of tree.keys()) {
    const match = new RegExp(`^${FEATURES_ROOT}/([^/]+)/(.+)$`).exec(path);
    if (match) files.set(match[1]!, [...(files.get(match[1]!) ?? []), match[2]!]);
  }
  const sources = [...files].map(([id, list]): FeatureSource => {
    const metadata = tree.get(`${FEATURES_ROOT}/${id}/devcontainer-feature.json`);
    if (!metadata) throw new Error(`Feature ${id} has no devcontainer-feature.json`);
    return { id, metadata: JSON.parse(metadata.content) as FeatureMetadata, files: list.sort() };
  });
  const rank = (id: string) => (isAgentId(id) ? AGENT_IDS.indexOf(id) + 1 : 0);
  return sources.sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function isAgentFeature(feature: FeatureSource): boolean {
  return isAgentId(feature.id);
}

/** What the install layer copies: everything but the hook bundles and the docs. */
export function installFiles(feature: FeatureSource): string[] {
  return feature.files.filter((file) => !file.startsWith(HOOKS_DIR) && file !== "README.md");
}

export function hookFiles(feature: FeatureSource): string[] {
  return feature.files.filter((file) => file.startsWith(HOOKS_DIR));
}
