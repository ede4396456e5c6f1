/**
 * features/versions.json: for each Feature, the hash of its published content at each of its versions. The
 * generator adds the hash of a new version and keeps every recorded one, so a Feature whose content changed
 * while its version did not is caught (`npm run generate` and `check:generated` both fail, naming it) before
 * a release could publish new content under an old version, or skip publishing it.
 */
import { createHash } from "node:crypto";
import { isAgentId } from "../src/catalogue/agents.js";
import { renderJson, type Tree } from "../src/core/tree.js";

export const VERSIONS_FILE = "features/versions.json";

type Record = { [id: string]: { [version: string]: string } };

/** The hash of features/src/<id>/**, the version field left out (it is what the hash is recorded against). */
export function contentHash(features: Tree, id: string): string {
  const prefix = `features/src/${id}/`;
  const hash = createHash("sha256");
  for (const path of [...features.keys()].filter((p) => p.startsWith(prefix)).sort()) {
    let content = features.get(path)!.content;
    if (path.endsWith("/devcontainer-feature.json")) content = renderJson({ ...(JSON.parse(content) as object), version: undefined });
    hash.update(`${path.slice(prefix.length)}\0${content}\0`);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Where a Feature's version is set: an agent's `featureVersion` in its module, else `version` in its definition. */
function versionSource(id: string): string {
  return isAgentId(id) ? `\`featureVersion\` in src/agents/${id}.ts` : `\`version\` in src/features/${id}-feature.ts`;
}

export function renderVersionRecord(features: Tree, committed: Record): { tree: Tree; problems: string[] } {
  const ids = [...new Set([...features.keys()].map((path) => /^features\/src\/([^/]+)\//.exec(path)?.[1]).filter((id): id is string => !!id))].sort();
  const record: Record = {};
  const problems: string[] = [];
  for (const id of ids) {
    const version = (JSON.parse(features.get(`features/src/${id}/devcontainer-feature.json`)!.content) as { version: string }).version;
    const hash = contentHash(features, id);
    const recorded = committed[id]?.[version];
    if (recorded !== undefined && recorded !== hash) {
      problems.push(`features/src/${id} changed since version ${version} was recorded: bump its version (${versionSource(id)})`);
    }
    record[id] = { ...committed[id], [version]: recorded ?? hash };
  }
  return { tree: new Map([[VERSIONS_FILE, { content: renderJson(record) }]]), problems };
}
