/**
 * Gemini CLI: the `mcpServers` key of `settings.json` (under GEMINI_CLI_HOME/.gemini). Gemini resolves
 * `$VAR` / `${VAR}` in every string of its settings when it loads them (packages/cli envVarResolver),
 * so references stay as written. It withholds inherited `*TOKEN*` / `*KEY*` / `*SECRET*` variables
 * from local servers unless they are listed in `env`; the source lists what a server needs by
 * reference, which is exactly that explicit listing. Disabled servers are left out.
 */
import type { McpRender, McpServer } from "../model.js";
import { compact, nonEmpty, serversFor, warnBareDollars, Warnings } from "./common.js";

export interface GeminiServer {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  /** Only for url entries; without it Gemini guesses the transport. */
  type?: "http" | "sse";
  headers?: Record<string, string>;
}

export interface GeminiMcpConfig {
  mcpServers: Record<string, GeminiServer>;
}

export function renderGemini(servers: readonly McpServer[]): McpRender<GeminiMcpConfig> {
  const warnings = new Warnings();
  const mcpServers: Record<string, GeminiServer> = {};
  for (const server of serversFor("gemini", servers)) {
    if (server.transport === "stdio") {
      warnBareDollars(warnings, server, "env", server.env, "gemini");
      mcpServers[server.name] = compact<GeminiServer>({
        command: server.command,
        args: server.args.length > 0 ? [...server.args] : undefined,
        env: nonEmpty(server.env),
        cwd: server.cwd,
      });
    } else {
      warnBareDollars(warnings, server, "headers", server.headers, "gemini");
      mcpServers[server.name] = compact<GeminiServer>({
        url: server.url,
        type: server.transport,
        headers: nonEmpty(server.headers),
      });
    }
  }
  return { config: { mcpServers }, warnings: warnings.list };
}
