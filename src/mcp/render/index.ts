/** One entry point over the per-target renderers, for callers that hold a target name (CLI, hook). */
import { renderJson } from "../../render/tree.js";
import type { McpRender, McpServer, McpTarget } from "../model.js";
import { renderClaude } from "./claude.js";
import { codexToml, renderCodex, type CodexMcpConfig } from "./codex.js";
import { renderCopilot } from "./copilot.js";
import { renderGemini } from "./gemini.js";
import { renderVscode } from "./vscode.js";

export { renderClaude, renderCodex, renderCopilot, renderGemini, renderVscode, codexToml };

const renderers: Readonly<Record<McpTarget, (servers: readonly McpServer[]) => McpRender<object>>> = {
  claude: renderClaude,
  codex: renderCodex,
  copilot: renderCopilot,
  gemini: renderGemini,
  vscode: renderVscode,
};

export function renderMcp(target: McpTarget, servers: readonly McpServer[]): McpRender<object> {
  return renderers[target](servers);
}

/** The config as the target's own file format would hold it: TOML for Codex, JSON for the others. */
export function nativeText(target: McpTarget, config: object): string {
  return target === "codex" ? codexToml(config as CodexMcpConfig) : renderJson(config);
}
