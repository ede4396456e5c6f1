/**
 * Claude Code, user scope: the `mcpServers` key of `~/.claude.json` (inside CLAUDE_CONFIG_DIR when set).
 * User-scope servers need no per-project approval. Claude expands `${VAR}` in command, args, env, url
 * and headers itself, so references stay as written and no secret value reaches the file.
 */
import type { McpRender, McpServer } from "../model.js";
import { compact, nonEmpty, serversFor, Warnings } from "./common.js";

export interface ClaudeServer {
  /** Always written: required for url entries, and what `claude mcp add` itself writes for stdio. */
  type: "stdio" | "http" | "sse";
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}

export interface ClaudeMcpConfig {
  mcpServers: Record<string, ClaudeServer>;
}

export function renderClaude(servers: readonly McpServer[]): McpRender<ClaudeMcpConfig> {
  const warnings = new Warnings();
  const mcpServers: Record<string, ClaudeServer> = {};
  for (const server of serversFor("claude", servers)) {
    mcpServers[server.name] = claudeServer(server, warnings);
  }
  return { config: { mcpServers }, warnings: warnings.list };
}

function claudeServer(server: McpServer, warnings: Warnings): ClaudeServer {
  if (server.transport !== "stdio") {
    return compact<ClaudeServer>({ type: server.transport, url: server.url, headers: nonEmpty(server.headers) });
  }
  if (server.cwd !== undefined) {
    // Claude's server entries have no working-directory field; the server starts where Claude runs.
    warnings.add(
      server,
      "cwd",
      "claude has no per-server working directory; left out, the server starts in claude's working directory",
    );
  }
  return compact<ClaudeServer>({
    type: "stdio",
    command: server.command,
    args: server.args.length > 0 ? [...server.args] : undefined,
    env: nonEmpty(server.env),
  });
}
