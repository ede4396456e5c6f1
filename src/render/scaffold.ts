/** Renders everything the scaffolder writes into a repository, as one tree. */
import { agent } from "../catalogue/agents.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { VENDOR_DIR } from "../features/refs.js";
import { WORKSPACE_FEATURE_ID } from "../features/workspace-feature.js";
import { MCP_FEATURE_ID } from "../features/mcp-feature.js";
import type { McpServer } from "../mcp/model.js";
import { hostScriptTree } from "../host/scripts.js";
import { agentConfigFile, agentConfigPath, renderAgentConfig } from "./devcontainer-json.js";
import { mcpStarterTree } from "./parts/mcp.js";
import { egressTree } from "./parts/egress.js";
import { mergeTrees, prefixTree, type Tree } from "../core/tree.js";
import { agentWorkflowPath, renderAgentWorkflow } from "../workflows/agent-ci.js";

/** What the caller found in the repository (this module stays free of I/O). */
export interface ScaffoldInputs {
  /** The MCP source present at scaffold time: its repository-relative path and servers. */
  mcpSource?: { path: string; servers: readonly McpServer[] };
  /** The package's egress/ files (host script, enforcer bundle), needed when the options enforce egress. */
  egressAssets?: Tree;
}

/**
 * @param features the published Feature trees by id, vendored under .devcontainer/ when the options ask
 *   for local Features (read by the caller, so this stays free of I/O).
 */
export function renderScaffold(options: ScaffoldOptions, features: ReadonlyMap<string, Tree>, inputs: ScaffoldInputs = {}): Tree {
  const renderInputs = inputs.mcpSource ? { mcpServers: inputs.mcpSource.servers } : {};
  const rendered = options.agents.map((id) => renderAgentConfig(agent(id), options, undefined, renderInputs));
  const configs: Tree = new Map(options.agents.map((id, i) => [agentConfigPath(agent(id)), agentConfigFile(rendered[i]!)]));
  // The host steps the configs' initializeCommands run, once for every agent.
  const hostScripts = hostScriptTree(rendered.map((config) => config.initializeCommand));
  const starter = mcpStarterTree(options, inputs.mcpSource?.path);
  const workflows: Tree = new Map(
    options.ciWorkflow ? options.agents.map((id) => [agentWorkflowPath(agent(id)), { content: renderAgentWorkflow(agent(id)) }]) : [],
  );
  const egress = egressTree(options, inputs.egressAssets);
  if (options.featureSource !== "local") return mergeTrees(configs, hostScripts, starter, workflows, egress);
  const vendored = featureIdsFor(options).map((id) => {
    const tree = features.get(id);
    if (!tree) throw new Error(`no Feature named ${id} to vendor`);
    return prefixTree(`${VENDOR_DIR}/${id}`, tree);
  });
  return mergeTrees(configs, hostScripts, starter, workflows, egress, ...vendored);
}

/**
 * Features the chosen agents use, the workspace Feature unless the repository is bind-mounted, and the mcp
 * Feature when there is an MCP source (prebuilt images carry it already).
 */
export function featureIdsFor(options: ScaffoldOptions): string[] {
  return [
    // A prebuilt image already holds the agent.
    ...(options.prebuilt ? [] : options.agents),
    ...(options.workspace === "bind" ? [] : [WORKSPACE_FEATURE_ID]),
    ...(options.mcpSource === undefined || options.prebuilt ? [] : [MCP_FEATURE_ID]),
  ];
}
