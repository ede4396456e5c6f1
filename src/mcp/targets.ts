/** Everything an MCP source can be rendered for: every agent in the registry, plus VS Code's own MCP client. */
import { AGENT_IDS } from "../catalogue/agents.js";

export const MCP_TARGETS = [...AGENT_IDS, "vscode"] as const;
export type McpTarget = (typeof MCP_TARGETS)[number];

export function isMcpTarget(value: string): value is McpTarget {
  return (MCP_TARGETS as readonly string[]).includes(value);
}
