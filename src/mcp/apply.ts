/**
 * Renders the MCP source for one agent and merges it into that agent's existing config text: the pure
 * step the in-container hook runs before its one atomic write. Which file holds an agent's MCP servers,
 * in what format, and how it is merged, is in the agent's module (src/agents/<id>.ts, `mcp`).
 */
import { agent, configDir, type AgentId } from "../catalogue/agents.js";
import type { McpServer } from "./model.js";

/** Absolute path of the agent's MCP config file inside the container. */
export function mcpConfigPath(id: AgentId): string {
  const record = agent(id);
  return `${configDir(record)}/${record.mcp.file}`;
}

export interface MergedMcpConfig {
  text: string;
  warnings: string[];
}

/**
 * The agent's config file with only its MCP part replaced. Throws McpMergeError (and writes nothing,
 * being pure) when the existing text cannot be read as JSON or TOML.
 */
export function mergeAgentMcp(id: AgentId, existing: string | undefined, servers: readonly McpServer[]): MergedMcpConfig {
  const { mcp } = agent(id);
  const { config, warnings } = mcp.render(servers);
  return { text: mcp.merge(existing, config), warnings };
}
