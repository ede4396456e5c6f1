/** Typed server records for renderer tests, with the same defaults parseMcpSource applies. */
import type { McpServer, RemoteServer, StdioServer } from "../../../src/mcp/model.js";
import type { McpTarget } from "../../../src/mcp/targets.js";

type Common = { agents?: McpTarget[]; enabled?: boolean };

export function stdio(name: string, fields: Partial<Omit<StdioServer, "name" | "transport">> & Common = {}): StdioServer {
  return { name, transport: "stdio", command: "npx", args: [], env: {}, agents: "all", enabled: true, ...fields };
}

export function remote(name: string, fields: Partial<Omit<RemoteServer, "name">> & Common = {}): RemoteServer {
  return { name, transport: "http", url: "https://mcp.example.com/mcp", headers: {}, agents: "all", enabled: true, ...fields };
}

export type { McpServer };
