/**
 * The agents the mcp hook renders for: each agent Feature installs its MCP module (src/mcp/agent-module.ts)
 * at `<hooks root>/<id>/mcp.js`; an agent counts when its module is there and its CLI is on PATH. The mcp
 * Feature itself knows no agent, so an agent's change never changes it.
 */
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { AGENT_MCP_CONTRACT, MCP_MODULE_FILE, type AgentMcpModule } from "../mcp/agent-module.js";
import { HookStepError } from "../hook-steps.js";
import { findOnPath } from "../core/on-path.js";
import type { Environment } from "./mcp-files.js";

export interface InstalledAgent {
  module: AgentMcpModule;
  /** The agent's MCP config file, inside its (relocated) config folder. */
  path: string;
}

/** Every agent module under `root` (by folder name) whose CLI is on PATH; a module it cannot use fails, naming it. */
export function installedAgents(root: string, env: Environment): InstalledAgent[] {
  const folders = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()) : [];
  return folders
    .map((entry) => join(root, entry.name, MCP_MODULE_FILE))
    .filter((file) => existsSync(file))
    .sort()
    .map(loadModule)
    .filter((module) => findOnPath(module.binary, env.PATH) !== undefined)
    .map((module) => ({ module, path: module.configFile(env) }));
}

function loadModule(file: string): AgentMcpModule {
  // The hook is CommonJS once bundled (import.meta.url is then the bundle's own URL): a plain require.
  const module = (createRequire(import.meta.url)(file) as { mcp?: AgentMcpModule }).mcp;
  if (module?.contract !== AGENT_MCP_CONTRACT) {
    const found = module === undefined ? "exports no MCP module" : `speaks contract ${String(module.contract)}`;
    throw new HookStepError(`${file} ${found}; this mcp Feature needs contract ${AGENT_MCP_CONTRACT}: update the agent's and the mcp Feature to their latest versions`);
  }
  return module;
}
