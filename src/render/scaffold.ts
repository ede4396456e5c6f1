/** Renders everything the scaffolder writes into a repository, as one tree. */
import { agent } from "../catalogue/agents.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { VENDOR_DIR } from "../features/refs.js";
import { agentConfigPath, renderAgentConfigFile } from "./devcontainer-json.js";
import { mergeTrees, prefixTree, type Tree } from "./tree.js";

/**
 * @param features the published Feature trees by id, vendored under .devcontainer/ when the options ask
 *   for local Features (read by the caller, so this stays free of I/O).
 */
export function renderScaffold(options: ScaffoldOptions, features: ReadonlyMap<string, Tree>): Tree {
  const configs: Tree = new Map(
    options.agents.map((id) => [agentConfigPath(agent(id)), renderAgentConfigFile(agent(id), options)]),
  );
  if (options.featureSource !== "local") return mergeTrees(configs);
  const vendored = featureIdsFor(options).map((id) => {
    const tree = features.get(id);
    if (!tree) throw new Error(`no Feature named ${id} to vendor`);
    return prefixTree(`${VENDOR_DIR}/${id}`, tree);
  });
  return mergeTrees(configs, ...vendored);
}

/** Features the chosen agents use. */
export function featureIdsFor(options: ScaffoldOptions): string[] {
  return [...options.agents];
}
