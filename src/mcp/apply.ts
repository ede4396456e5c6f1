/**
 * Renders the MCP source for one agent and merges it into that agent's existing config text, on the host
 * (by id, from the registry). Which file holds an agent's MCP servers, in what format, and how it is merged,
 * is in the agent's module (src/agents/<id>.ts, `mcp`); in the container, each agent Feature ships that
 * part itself (src/mcp/agent-module.ts).
 */
import { agent, configDir, type AgentId } from "../catalogue/agents.js";
import { mergeMcp, type MergedMcpConfig } from "./agent-module.js";
import type { McpServer } from "./model.js";

/** Absolute path of the agent's MCP config file inside the container. */
export function mcpConfigPath(id: AgentId): string {
  const record = agent(id);
  return `${configDir(record)}/${record.mcp.file}`;
}

/**
 * The agent's config file with only its MCP part replaced. Throws McpMergeError (and writes nothing,
 * being pure) when the existing text cannot be read as JSON or TOML.
 */
export function mergeAgentMcp(id: AgentId, existing: string | undefined, servers: readonly McpServer[]): MergedMcpConfig {
  return mergeMcp(agent(id).mcp, existing, servers);
}
