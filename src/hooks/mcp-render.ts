/**
 * What the mcp hook does at create and start: find the source, read the secrets, render every installed
 * agent's config (with the MCP module its own Feature installed) and the launch spec, write them. The paths come in as a setup (the hook passes the
 * container's, tests their own), and each step is named in a failure.
 */
import { resolve } from "node:path";
import { planContainerMcp, variableWarnings, type McpPlan } from "../mcp/container-plan.js";
import { parseEnvFile } from "../mcp/env-file.js";
import { DEFAULT_MCP_SOURCE, loadMcpSource, locateMcpSource, type McpSourceLocation } from "../mcp/locate.js";
import type { McpServer } from "../mcp/model.js";
import { renderJson } from "../core/tree.js";
import { installedAgents, type InstalledAgent } from "./mcp-agents.js";
import { readIfExists, readSecrets, writePrivateFiles, type Environment, type Secrets } from "./mcp-files.js";
import { log, runSteps } from "../hook-steps.js";

export interface McpHookSetup {
  /** The workspace folder: relative source paths start here. */
  workspace: string;
  env: Environment;
  /** The Feature's baked options (`source=…`). */
  optionsFile: string;
  /** Overrides the Feature's source option when set in `env`. */
  sourceEnv: string;
  secretsFile: string;
  launchSpecFile: string;
  launcher: string;
  /** Where agent Features install their MCP modules (`<id>/mcp.js`). */
  agentsRoot: string;
}

export function renderMcpConfigs(context: string, setup: McpHookSetup): number {
  let location: McpSourceLocation | undefined;
  let configured = DEFAULT_MCP_SOURCE;
  const found = runSteps(context, [
    {
      name: "locate",
      run: () => {
        configured = setup.env[setup.sourceEnv] || parseEnvFile(readIfExists(setup.optionsFile) ?? "").values.source || DEFAULT_MCP_SOURCE;
        location = locateMcpSource(setup.workspace, configured);
      },
    },
  ]);
  if (found !== 0) return found;
  if (!location) {
    log(`mcp: no MCP source (${resolve(setup.workspace, configured)}); nothing to render`);
    return 0;
  }
  const source = location;
  let servers: McpServer[] = [];
  let secrets: Secrets = { values: {}, summary: "", warnings: [] };
  let plan: McpPlan = { files: [], spec: { servers: {} }, warnings: [] };
  let agents: InstalledAgent[] = [];
  return runSteps(context, [
    { name: "parse", run: () => void (servers = loadMcpSource(source)) },
    { name: "agents", run: () => void (agents = installedAgents(setup.agentsRoot, setup.env)) },
    { name: "secrets", run: () => void (secrets = readSecrets(setup.secretsFile)) },
    {
      name: "render",
      run: () => {
        const current = agents.map(({ module, path }) => ({ id: module.id, path, existing: readIfExists(path), merge: module.merge }));
        plan = planContainerMcp(servers, current, setup.launcher);
      },
    },
    {
      name: "write",
      run: () => writePrivateFiles([{ path: setup.launchSpecFile, content: renderJson(plan.spec) }, ...plan.files]),
    },
    {
      name: "report",
      run: () => {
        const routed = Object.keys(plan.spec.servers).length;
        const targets = agents.length > 0 ? agents.map((agent) => agent.module.id).join(", ") : "no installed agent on PATH";
        log(
          `mcp: ${servers.length} ${servers.length === 1 ? "server" : "servers"} from ${source.path} → ${targets}` +
            `; ${routed} through ${setup.launcher}; ${secrets.summary}`,
        );
        const warnings = [...secrets.warnings, ...variableWarnings(servers, secrets.values, setup.env), ...plan.warnings];
        for (const warning of warnings) log(`mcp: warning: ${warning}`);
      },
    },
  ]);
}
