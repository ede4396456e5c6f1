/** The MCP part of an agent whose servers sit under one top-level key of a JSON (or JSONC) file. */
import { mergeJsonMcp } from "../mcp/merge.js";
import type { McpRender, McpServer } from "../mcp/model.js";
import { renderJson } from "../core/tree.js";
import type { AgentMcp } from "./record.js";

export function jsonMcp<Config extends object>(
  file: string,
  key: keyof Config & string,
  render: (servers: readonly McpServer[]) => McpRender<Config>,
  list: readonly string[] = ["mcp", "list"],
): AgentMcp {
  return {
    file,
    render,
    text: renderJson,
    merge: (existing, config) => mergeJsonMcp(existing, key, (config as Record<string, unknown>)[key]),
    list,
  };
}
