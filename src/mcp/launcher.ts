/**
 * The launcher that carries secrets to local (stdio) MCP servers. Agents cannot be trusted with them:
 * Codex expands no variables, Copilot hands a server only PATH, Gemini withholds *TOKEN*-like variables,
 * and Claude passes an unset `${VAR}` on as literal text. And the values may not sit in any config file.
 *
 * So a stdio server whose env references variables is rendered, for every client, as
 *   command = LAUNCHER_PATH, args = [NAME, "--", COMMAND, ...ARGS], no env
 * and its env templates go into the launch spec (names and `${VAR}` references only). When the agent
 * starts the server, the launcher reads the secrets file, resolves the templates (secrets file first,
 * then its own environment) and execs COMMAND with them. `mcp list` therefore shows the real command
 * after the `--`. Servers without references are rendered as they are.
 */
import type { McpServer, StdioServer } from "./model.js";
import { hasRefs, mapRefs, refsIn } from "./refs.js";

/** Per server: the env entries to set, as written in the source (`TOKEN = "${TOKEN}"`). */
export interface LaunchSpec {
  servers: Record<string, { env: Record<string, string> }>;
}

export const LAUNCH_SEPARATOR = "--";

export function needsLauncher(server: McpServer): server is StdioServer {
  return server.transport === "stdio" && Object.values(server.env).some(hasRefs);
}

/** The servers as every client gets them, and the spec the launcher reads back. */
export function routeThroughLauncher(servers: readonly McpServer[], launcher: string): { servers: McpServer[]; spec: LaunchSpec } {
  const spec: LaunchSpec = { servers: {} };
  const routed = servers.map((server): McpServer => {
    if (!needsLauncher(server)) return server;
    spec.servers[server.name] = { env: { ...server.env } };
    return { ...server, command: launcher, args: [server.name, LAUNCH_SEPARATOR, server.command, ...server.args], env: {} };
  });
  return { servers: routed, spec };
}

export interface LaunchArgs {
  name: string;
  command: string;
  args: string[];
}

/** `NAME -- COMMAND ARGS…`, as routeThroughLauncher writes it. */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs | undefined {
  const [name, separator, command, ...args] = argv;
  if (name === undefined || separator !== LAUNCH_SEPARATOR || command === undefined || command === "") return undefined;
  return { name, command, args };
}

export interface ResolvedEnv {
  env: Record<string, string>;
  /** Variables referenced but set nowhere; entries that need them are left out rather than set to half a value. */
  missing: string[];
}

/** Resolves env templates: a variable comes from the secrets file first, then from `environment`. */
export function resolveLaunchEnv(
  templates: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
  environment: Readonly<Record<string, string | undefined>>,
): ResolvedEnv {
  const lookup = (name: string) => (Object.hasOwn(secrets, name) ? secrets[name] : own(environment, name));
  const env: Record<string, string> = {};
  const missing = new Set<string>();
  for (const [key, template] of Object.entries(templates)) {
    const unset = refsIn(template).filter((name) => lookup(name) === undefined);
    if (unset.length > 0) {
      for (const name of unset) missing.add(name);
      continue;
    }
    env[key] = mapRefs(template, (name) => lookup(name) as string);
  }
  return { env, missing: [...missing] };
}

/** A map's own value only: a variable named like an Object.prototype member (`constructor`) is just unset. */
export function own(values: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
