/**
 * A nodeMirror value as the Features read it (src/features/shell-lib.sh install_node): a mirror in
 * nodejs.org's layout, whose SHASUMS256.txt comes first, or the npm registry, whose node-linux-<arch>
 * document comes first. Pure, for `doctor`'s reachability check.
 */
import { DEFAULT_NODE_MAJOR, DEFAULT_NODE_MIRROR, NPM_NODE_SOURCE } from "../features/options.js";

/** npm's default registry: what nodeMirror=npm reads when the build environment configures none. */
export const NPM_REGISTRY = "https://registry.npmjs.org";

export interface NodeSourceTarget {
  /** The source as configured. */
  source: string;
  /** The first URL a Feature fetches from it. */
  url: string;
}

export function nodeSourceTarget(source: string = DEFAULT_NODE_MIRROR, nodeVersion: string = DEFAULT_NODE_MAJOR, arch = "x64"): NodeSourceTarget {
  if (source === NPM_NODE_SOURCE || source.startsWith(`${NPM_NODE_SOURCE}:`)) {
    const registry = (source === NPM_NODE_SOURCE ? NPM_REGISTRY : source.slice(NPM_NODE_SOURCE.length + 1)).replace(/\/+$/, "");
    return { source, url: `${registry}/node-linux-${arch}` };
  }
  const dir = nodeVersion.includes(".") ? `v${nodeVersion}` : `latest-v${nodeVersion}.x`;
  return { source, url: `${source.replace(/\/+$/, "")}/${dir}/SHASUMS256.txt` };
}
