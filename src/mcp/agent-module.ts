/**
 * The MCP side of one agent, as its own Feature ships it to the mcp Feature: each agent Feature installs this
 * module, bundled with that agent's record alone, at `${HOOKS_ROOT}/<id>/mcp.js`, and the mcp hook loads every
 * one installed. So the mcp Feature carries no agent's record, and a change to one agent changes that agent's
 * Feature only. The Features version on their own, so the shape they share carries a contract number.
 */
import { join } from "node:path";
import { configRootIn, HOOKS_ROOT } from "../agents/derived.js";
import type { AgentMcp, AgentRecord } from "../agents/record.js";
import type { McpServer } from "./model.js";

/** Bumped on an incompatible change of AgentMcpModule: the mcp hook refuses a module of another contract. */
export const AGENT_MCP_CONTRACT = 1;

/** The module's file name in an agent Feature's hooks folder, as built and as installed. */
export const MCP_MODULE_FILE = "mcp.js";

export interface MergedMcpConfig {
  text: string;
  warnings: string[];
}

export interface AgentMcpModule {
  contract: number;
  id: string;
  /** The agent's CLI: the hook renders for an agent only when it is on PATH. */
  binary: string;
  /** The agent's MCP config file, in the config folder `env` relocates it to. */
  configFile(env: Readonly<Record<string, string | undefined>>): string;
  /** The existing text with only its MCP part replaced; throws (McpMergeError) when that text cannot be read. */
  merge(existing: string | undefined, servers: readonly McpServer[]): MergedMcpConfig;
}

/** Renders the servers as the agent's own config and splices that into the existing text. Pure. */
export function mergeMcp(mcp: AgentMcp, existing: string | undefined, servers: readonly McpServer[]): MergedMcpConfig {
  const { config, warnings } = mcp.render(servers);
  return { text: mcp.merge(existing, config), warnings };
}

export function agentMcpModule(record: AgentRecord): AgentMcpModule {
  return {
    contract: AGENT_MCP_CONTRACT,
    id: record.id,
    binary: record.binary,
    configFile: (env) => join(configRootIn(record, env), record.configSubdir, record.mcp.file),
    merge: (existing, servers) => mergeMcp(record.mcp, existing, servers),
  };
}

/** Where the agent Feature `id` installs its module. */
export function mcpModulePath(id: string): string {
  return `${HOOKS_ROOT}/${id}/${MCP_MODULE_FILE}`;
}
