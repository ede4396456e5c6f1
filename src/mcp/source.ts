/**
 * Reads the MCP source of truth: TOML with `[mcp_servers.<name>]` tables, validated against
 * schemas/mcp.schema.json, normalised into McpServer records. Pure: text in, servers or an error out.
 */
import type { ValidateFunction } from "ajv";
import { parse, TomlError } from "smol-toml";
import type { McpServerEntry, McpSource } from "../generated/mcp.js";
import { validator as schemaValidator } from "../schema/validate.js";
import type { McpServer, StdioServer } from "./model.js";
import { describeSourceErrors } from "./source-errors.js";

/** Every problem in a source, each line prefixed with the file (and line:column for TOML syntax errors). */
export class McpSourceError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly position?: { line: number; column: number },
  ) {
    super(
      problems
        .map((problem) => (position ? `${file}:${position.line}:${position.column}: ${problem}` : `${file}: ${problem}`))
        .join("\n"),
    );
    this.name = "McpSourceError";
  }
}

export interface ParseOptions {
  /**
   * The file is a general config.toml (the original design's, or Codex's) that may hold other settings:
   * only its `mcp_servers` table is read. Without it, unknown top-level keys are errors.
   */
  mcpTableOnly?: boolean;
}

/** Not assertValid: that only returns formatted strings, and these errors need their schema paths. */
function validator(): ValidateFunction {
  return schemaValidator("mcp");
}

export function parseMcpSource(text: string, file: string, options: ParseOptions = {}): McpServer[] {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new McpSourceError(file, [tomlMessage(error)], { line: error.line, column: error.column });
    }
    throw error;
  }
  const data = options.mcpTableOnly ? pickMcpTable(document) : document;
  const validate = validator();
  if (!validate(data)) throw new McpSourceError(file, describeSourceErrors(validate.errors ?? [], data));
  const source = data as McpSource;
  return Object.entries(source.mcp_servers ?? {}).map(([name, entry]) => toServer(name, entry));
}

/** smol-toml's message is "Invalid TOML document: <what>" followed by a code frame; keep the <what>. */
function tomlMessage(error: TomlError): string {
  const first = error.message.split("\n")[0] ?? error.message;
  return first.replace(/^Invalid TOML document:\s*/, "");
}

function pickMcpTable(document: Record<string, unknown>): Record<string, unknown> {
  return "mcp_servers" in document ? { mcp_servers: document.mcp_servers } : {};
}

/** Applies the schema's defaults and makes the transport explicit (a url without `type` is streamable HTTP). */
function toServer(name: string, entry: McpServerEntry): McpServer {
  const common = { name, agents: entry.agents ?? ("all" as const), enabled: entry.enabled ?? true };
  if (entry.url !== undefined) {
    return { ...common, transport: entry.type === "sse" ? "sse" : "http", url: entry.url, headers: { ...entry.headers } };
  }
  // The schema guarantees command when url is absent.
  const server: StdioServer = {
    ...common,
    transport: "stdio",
    command: entry.command as string,
    args: [...(entry.args ?? [])],
    env: { ...entry.env },
  };
  if (entry.cwd !== undefined) server.cwd = entry.cwd;
  return server;
}
