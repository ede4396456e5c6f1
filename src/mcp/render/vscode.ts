/**
 * VS Code: the `mcp` object under `customizations.vscode` of a devcontainer.json, which VS Code merges
 * into the remote user's mcp.json. VS Code resolves `${env:VAR}` (not bare `${VAR}`) in server
 * definitions, so every reference is rewritten; the variable is read from the environment of the
 * container's VS Code server. Disabled servers are left out.
 */
import type { McpRender, McpServer } from "../model.js";
import { mapRefs } from "../refs.js";
import { compact, serversFor } from "./common.js";

export interface VscodeServer {
  type: "stdio" | "http" | "sse";
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}

export interface VscodeMcpConfig {
  servers: Record<string, VscodeServer>;
}

export function renderVscode(servers: readonly McpServer[]): McpRender<VscodeMcpConfig> {
  const result: Record<string, VscodeServer> = {};
  for (const server of serversFor("vscode", servers)) result[server.name] = vscodeServer(server);
  // Everything in the source has a VS Code equivalent, so there is never anything to warn about.
  return { config: { servers: result }, warnings: [] };
}

function vscodeServer(server: McpServer): VscodeServer {
  if (server.transport !== "stdio") {
    return compact<VscodeServer>({ type: server.transport, url: env(server.url), headers: envMap(server.headers) });
  }
  return compact<VscodeServer>({
    type: "stdio",
    command: env(server.command),
    args: server.args.length > 0 ? server.args.map(env) : undefined,
    env: envMap(server.env),
    cwd: server.cwd === undefined ? undefined : env(server.cwd),
  });
}

function env(value: string): string {
  return mapRefs(value, (name) => `\${env:${name}}`);
}

function envMap(values: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const entries = Object.entries(values);
  return entries.length > 0 ? Object.fromEntries(entries.map(([key, value]) => [key, env(value)])) : undefined;
}
