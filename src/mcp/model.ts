/**
 * The MCP source after validation: one record per server with defaults applied and the transport made
 * explicit, so renderers switch on `transport` instead of re-deriving it from which fields are present.
 */
import { AGENT_IDS } from "../catalogue/agents.js";

/** Everything an MCP source can be rendered for: the four agents, plus VS Code's own MCP client. */
export const MCP_TARGETS = [...AGENT_IDS, "vscode"] as const;
export type McpTarget = (typeof MCP_TARGETS)[number];

export function isMcpTarget(value: string): value is McpTarget {
  return (MCP_TARGETS as readonly string[]).includes(value);
}

interface ServerCommon {
  name: string;
  /** Targets that get this server (the source's `agents`, or all of them). */
  agents: readonly McpTarget[];
  enabled: boolean;
}

export interface StdioServer extends ServerCommon {
  transport: "stdio";
  command: string;
  args: string[];
  /** Values may hold `${VAR}` references, kept verbatim until a renderer maps them. */
  env: Record<string, string>;
  cwd?: string;
}

export interface RemoteServer extends ServerCommon {
  /** `http` is streamable HTTP, the default for a `url`. */
  transport: "http" | "sse";
  url: string;
  headers: Record<string, string>;
}

export type McpServer = StdioServer | RemoteServer;

/** What a renderer returns: the target's native config as data, and what it could not express. */
export interface McpRender<Config> {
  config: Config;
  /** One line each, naming the server and field: `mcp_servers.NAME.FIELD: …`. */
  warnings: string[];
}
