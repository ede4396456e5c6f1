/**
 * What the in-container hook writes, decided without touching the disk: every installed agent's config
 * file with its MCP part replaced, the launch spec, and the warnings to log. Planning everything first is
 * what lets the hook write nothing at all when any one file cannot be merged.
 */
import type { AgentMcpModule } from "./agent-module.js";
import { needsLauncher, own, routeThroughLauncher, type LaunchSpec } from "./launcher.js";
import { McpMergeError } from "./merge.js";
import type { McpServer } from "./model.js";
import { refsIn } from "./refs.js";

export interface AgentConfigFile {
  id: string;
  /** Absolute path of the agent's MCP config file. */
  path: string;
  /** Its current text, undefined when it does not exist yet. */
  existing: string | undefined;
  /** The agent's own merge (its Feature's MCP module). */
  merge: AgentMcpModule["merge"];
}

export interface McpPlan {
  files: { path: string; content: string }[];
  spec: LaunchSpec;
  /** `<agent>: mcp_servers.NAME.FIELD: …` for what an agent cannot express. */
  warnings: string[];
}

/**
 * Throws McpMergeError naming the file when an agent's module cannot merge into it (an unreadable existing
 * config). The module comes from another Feature's bundle, so its error class is not this one: any error counts.
 */
export function planContainerMcp(servers: readonly McpServer[], agents: readonly AgentConfigFile[], launcher: string): McpPlan {
  const { servers: routed, spec } = routeThroughLauncher(servers, launcher);
  const warnings: string[] = [];
  const files = agents.map(({ id, path, existing, merge }) => {
    try {
      const merged = merge(existing, routed);
      warnings.push(...merged.warnings.map((warning) => `${id}: ${warning}`));
      return { path, content: merged.text };
    } catch (error) {
      throw new McpMergeError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { files, spec, warnings };
}

/**
 * One warning per variable an enabled server needs but will not get. Env entries of local servers are
 * resolved by the launcher (secrets file, then environment); every other reference (command, args, cwd,
 * url, headers) is expanded by the agent itself, from its own environment, which the secrets file never
 * reaches.
 */
export function variableWarnings(
  servers: readonly McpServer[],
  secrets: Readonly<Record<string, string>>,
  environment: Readonly<Record<string, string | undefined>>,
): string[] {
  const warnings: string[] = [];
  const inEnvironment = (name: string) => own(environment, name) !== undefined;
  for (const server of servers.filter((candidate) => candidate.enabled)) {
    for (const [field, value] of launchedFields(server)) {
      for (const name of refsIn(value).filter((ref) => !Object.hasOwn(secrets, ref) && !inEnvironment(ref))) {
        warnings.push(`mcp_servers.${server.name}.${field}: \${${name}} is set neither in the MCP secrets file nor in the container's environment; the server starts without it`);
      }
    }
    for (const [field, value] of agentExpandedFields(server)) {
      for (const name of refsIn(value).filter((ref) => !inEnvironment(ref))) {
        const where = Object.hasOwn(secrets, name) ? "is only in the MCP secrets file, which reaches local servers' env only" : "is not set";
        warnings.push(
          `mcp_servers.${server.name}.${field}: \${${name}} ${where}; agents expand this field from their own environment, so set ${name} there (e.g. devcontainer exec --remote-env)`,
        );
      }
    }
  }
  return warnings;
}

/** Fields the launcher resolves. */
function launchedFields(server: McpServer): [string, string][] {
  return needsLauncher(server) ? Object.entries(server.env).map(([key, value]) => [`env.${key}`, value]) : [];
}

/** Fields the agents expand themselves. */
function agentExpandedFields(server: McpServer): [string, string][] {
  if (server.transport !== "stdio") {
    return [["url", server.url], ...Object.entries(server.headers).map(([key, value]): [string, string] => [`headers.${key}`, value])];
  }
  return [
    ["command", server.command],
    ...server.args.map((arg, index): [string, string] => [`args[${index}]`, arg]),
    ...(server.cwd === undefined ? [] : [["cwd", server.cwd] as [string, string]]),
  ];
}
