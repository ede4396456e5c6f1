/**
 * Copilot CLI: `$COPILOT_HOME/mcp-config.json`. Copilot expands `$VAR` / `${VAR}` in env and headers
 * only, and a local server inherits nothing but PATH: every variable it needs must be listed in `env`,
 * which the source already does by reference (`TOKEN = "${TOKEN}"`), so env is written as is.
 * `${VAR}` in command, args, cwd or url would reach the server literally: the server is skipped for
 * Copilot with a warning. `tools: ["*"]` is required by Copilot; disabled servers are left out.
 */
import type { McpRender, McpServer } from "../model.js";
import { compact, nonEmpty, refsInLaunchFields, serversFor, warnBareDollars, Warnings } from "./common.js";

export interface CopilotServer {
  type: "local" | "http" | "sse";
  command?: string;
  /** Written even when empty: Copilot's local-server entries carry args. */
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  tools: string[];
}

export interface CopilotMcpConfig {
  mcpServers: Record<string, CopilotServer>;
}

export function renderCopilot(servers: readonly McpServer[]): McpRender<CopilotMcpConfig> {
  const warnings = new Warnings();
  const mcpServers: Record<string, CopilotServer> = {};
  for (const server of serversFor("copilot", servers)) {
    const unexpanded = refsInLaunchFields(server);
    if (unexpanded.length > 0) {
      for (const field of unexpanded) {
        warnings.add(server, field, "copilot expands ${VAR} only in env and headers; server skipped for copilot");
      }
      continue;
    }
    if (server.transport === "stdio") {
      warnBareDollars(warnings, server, "env", server.env, "copilot");
      mcpServers[server.name] = compact<CopilotServer>({
        type: "local",
        command: server.command,
        args: [...server.args],
        env: nonEmpty(server.env),
        cwd: server.cwd,
        tools: ["*"],
      });
    } else {
      warnBareDollars(warnings, server, "headers", server.headers, "copilot");
      mcpServers[server.name] = compact<CopilotServer>({
        type: server.transport,
        url: server.url,
        headers: nonEmpty(server.headers),
        tools: ["*"],
      });
    }
  }
  return { config: { mcpServers }, warnings: warnings.list };
}
