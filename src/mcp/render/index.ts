/** One entry point over the per-target renderers, for callers that hold a target name (CLI, hook). */
import { agent, isAgentId } from "../../catalogue/agents.js";
import { renderJson } from "../../core/tree.js";
import type { McpRender, McpServer } from "../model.js";
import type { McpTarget } from "../targets.js";
import { renderVscode } from "./vscode.js";

export function renderMcp(target: McpTarget, servers: readonly McpServer[]): McpRender<object> {
  return isAgentId(target) ? agent(target).mcp.render(servers) : renderVscode(servers);
}

/** The config as the target's own file would hold it (each agent's module knows its format; VS Code's is JSON). */
export function nativeText(target: McpTarget, config: object): string {
  return isAgentId(target) ? agent(target).mcp.text(config) : renderJson(config);
}
