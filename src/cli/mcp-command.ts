/**
 * `create-agent-devcontainer mcp render|check`: host-side preview and validation of the MCP source.
 * Only parses arguments and calls src/mcp; writes nothing.
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { LAUNCHER_PATH } from "../mcp/container.js";
import { routeThroughLauncher } from "../mcp/launcher.js";
import { findMcpSource, DEFAULT_MCP_SOURCE, LEGACY_MCP_SOURCE } from "../mcp/locate.js";
import type { McpServer } from "../mcp/model.js";
import { isMcpTarget, MCP_TARGETS } from "../mcp/targets.js";
import { nativeText, renderMcp } from "../mcp/render/index.js";
import { McpSourceError, parseMcpSource } from "../mcp/source.js";
import { defineCommand, HELP_FLAG, helpLine, JSON_FLAG, parseCommand, renderHelp } from "./args.js";
import { UserError } from "../errors.js";

export const MCP = defineCommand({
  usage: "mcp <command> [options]",
  description: `Commands:
${helpLine("  render --agent <name>", `print the MCP config an agent gets in its container (${MCP_TARGETS.join("|")}); local servers whose env needs \${VAR} start through ${LAUNCHER_PATH}; what the agent cannot express is listed on stderr`)}
${helpLine("  check", "validate the MCP source and list what each agent cannot express")}`,
  flags: {
    agent: { type: "string", arg: "name", help: `render: the agent (${MCP_TARGETS.join("|")})` },
    file: { type: "string", arg: "path", help: `the MCP source (default: ${DEFAULT_MCP_SOURCE}, else ${LEGACY_MCP_SOURCE} with [mcp_servers] tables)` },
    dir: { type: "string", arg: "path", help: "repository to look in", default: "." },
    json: { ...JSON_FLAG, help: 'render: print {"config", "warnings"} as JSON (Codex\'s config too)' },
    help: HELP_FLAG,
  },
});

/** Where output goes; tests pass their own. */
export interface McpIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

function processIo(): McpIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
  };
}

/** `argv` is what follows `mcp` on the command line, e.g. ["render", "--agent", "codex"]. */
export async function runMcp(argv: string[], io: McpIo = processIo()): Promise<void> {
  const { values, positionals } = parseCommand(MCP, argv);
  const [command, ...extra] = positionals;
  if (values.help || command === undefined) return void io.stdout(renderHelp(MCP));
  if (extra.length > 0) throw new UserError(`unexpected argument "${extra[0]}"`, "see mcp --help");
  const dir = resolve(io.cwd, values.dir);
  if (command === "check") {
    if (values.agent !== undefined) throw new UserError("--agent is for mcp render", "mcp check validates for every agent");
    return check(loadServers(dir, values.file), io);
  }
  if (command !== "render") throw new UserError(`unknown mcp command "${command}"`, "use mcp render or mcp check");
  const target = values.agent;
  if (target === undefined) throw new UserError("mcp render needs --agent", `choose from ${MCP_TARGETS.join(", ")}`);
  if (!isMcpTarget(target)) throw new UserError(`unknown agent "${target}"`, `choose from ${MCP_TARGETS.join(", ")}`);
  const { config, warnings } = renderMcp(target, loadServers(dir, values.file));
  if (values.json) return void io.stdout(`${JSON.stringify({ config, warnings }, null, 2)}\n`);
  io.stdout(nativeText(target, config));
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
}

function check(servers: McpServer[], io: McpIo): void {
  for (const target of MCP_TARGETS) {
    for (const warning of renderMcp(target, servers).warnings) io.stderr(`warning (${target}): ${warning}\n`);
  }
  io.stdout(`ok: ${servers.length} ${servers.length === 1 ? "server" : "servers"}\n`);
}

/**
 * The servers as the container renders them (secret-needing ones routed through the launcher), so the
 * preview shows what lands in each agent's config. --file wins; otherwise the repository's source.
 */
function loadServers(dir: string, file: string | undefined): McpServer[] {
  return routeThroughLauncher(readSource(dir, file), LAUNCHER_PATH).servers;
}

/** A file named config.toml may hold other settings. */
function readSource(dir: string, file: string | undefined): McpServer[] {
  const location =
    file === undefined
      ? findMcpSource(dir)
      : { path: resolve(dir, file), options: { mcpTableOnly: basename(file) === LEGACY_MCP_SOURCE } };
  if (location === undefined) {
    throw new UserError(
      `no MCP source in ${dir} (looked for ${DEFAULT_MCP_SOURCE}, and ${LEGACY_MCP_SOURCE} with [mcp_servers])`,
      `create ${DEFAULT_MCP_SOURCE} or pass --file`,
    );
  }
  let text: string;
  try {
    text = readFileSync(location.path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read ${location.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseMcpSource(text, location.path, location.options);
  } catch (error) {
    if (error instanceof McpSourceError) throw new UserError(`invalid MCP source:\n${error.message}`, "nothing was rendered");
    throw error;
  }
}
