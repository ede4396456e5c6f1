/**
 * Renders the MCP source for one agent and merges it into that agent's existing config text: the pure
 * step the in-container hook runs before its one atomic write. Which file holds an agent's MCP servers,
 * and in what format, is listed here (shared/reference/agents.md, "MCP configuration, per agent").
 */
import { agent, configDir, type AgentId } from "../catalogue/agents.js";
import { mergeCodexToml, mergeJsonMcp } from "./merge.js";
import type { McpServer } from "./model.js";
import { codexToml, renderClaude, renderCodex, renderCopilot, renderGemini } from "./render/index.js";

/** The file, relative to the agent's config dir (configDir()), that holds its user-scope MCP servers. */
export const MCP_CONFIG_FILE: Readonly<Record<AgentId, string>> = {
  // With CLAUDE_CONFIG_DIR set, .claude.json lives inside it rather than in $HOME.
  claude: ".claude.json",
  codex: "config.toml",
  copilot: "mcp-config.json",
  gemini: "settings.json",
};

/** Absolute path of the agent's MCP config file inside the container. */
export function mcpConfigPath(id: AgentId): string {
  return `${configDir(agent(id))}/${MCP_CONFIG_FILE[id]}`;
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
  switch (id) {
    case "claude": {
      const { config, warnings } = renderClaude(servers);
      return { text: mergeJsonMcp(existing, "mcpServers", config.mcpServers), warnings };
    }
    case "codex": {
      const { config, warnings } = renderCodex(servers);
      return { text: mergeCodexToml(existing, codexToml(config)), warnings };
    }
    case "copilot": {
      const { config, warnings } = renderCopilot(servers);
      return { text: mergeJsonMcp(existing, "mcpServers", config.mcpServers), warnings };
    }
    case "gemini": {
      const { config, warnings } = renderGemini(servers);
      return { text: mergeJsonMcp(existing, "mcpServers", config.mcpServers), warnings };
    }
  }
}
