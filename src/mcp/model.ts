/**
 * The MCP source after validation: one record per server with defaults applied and the transport made
 * explicit, so renderers switch on `transport` instead of re-deriving it from which fields are present.
 */
interface ServerCommon {
  name: string;
  /**
   * Targets that get this server: the source's `agents` (checked against MCP_TARGETS by the source parser),
   * or "all" when it names none. Plain ids here, so the agent modules' renderers can use this model; and no
   * list of every target, so the in-container hook that parses a source needs no agent registry.
   */
  agents: readonly string[] | "all";
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
