/**
 * MCP's share of an agent's devcontainer.json and of the scaffold: the mcp Feature, the host's secrets
 * file mounted read-only (created empty first, since Docker cannot bind-mount a missing file), VS Code's
 * own copy of the servers, and the starter source the user owns. Nothing here when the options name no
 * MCP source.
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import { MCP_FEATURE_ID } from "../../features/mcp-feature.js";
import { featureRef } from "../../features/refs.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { hostCommand } from "../../host/scripts.js";
import { LAUNCHER_PATH, SECRETS_STAGING_PATH, SOURCE_ENV } from "../../mcp/container.js";
import { routeThroughLauncher } from "../../mcp/launcher.js";
import { DEFAULT_MCP_SOURCE } from "../../mcp/locate.js";
import type { McpServer } from "../../mcp/model.js";
import { renderVscode } from "../../mcp/render/vscode.js";
import { renderMcpStarter } from "../../mcp/starter.js";
import type { RenderInputs } from "../devcontainer-json.js";
import type { ConfigPart } from "../parts.js";
import type { Tree } from "../tree.js";

/** The host step (src/host/mcp-secrets.sh) that creates the secrets file, empty and private, when it is missing. */
export const MCP_SECRETS_SCRIPT = "mcp-secrets";

export function mcpPart(_record: AgentRecord, options: ScaffoldOptions, _host?: unknown, inputs: RenderInputs = {}): ConfigPart {
  if (options.mcpSource === undefined) return {};
  const source = options.mcpSource === DEFAULT_MCP_SOURCE ? undefined : options.mcpSource;
  const part: ConfigPart = {};
  if (options.prebuilt) {
    // The prebuilt images carry the Feature with its default options; another source path (never a secret) is set at run time.
    if (source !== undefined) part.containerEnv = { [SOURCE_ENV]: source };
  } else {
    const featureOptions = { ...(options.nodeMirror ? { nodeMirror: options.nodeMirror } : {}), ...(source === undefined ? {} : { source }) };
    part.features = { [featureRef(MCP_FEATURE_ID, options)]: featureOptions };
  }
  if (options.mcpSecretsFile !== undefined) {
    const file = hostPath(options.mcpSecretsFile);
    part.initializeCommand = { "mcp-secrets-file": hostCommand(MCP_SECRETS_SCRIPT, file) };
    // The string form: the object form has no readonly.
    part.mounts = [`type=bind,source=${file},target=${SECRETS_STAGING_PATH},readonly`];
  }
  const vscode = vscodeServers(inputs.mcpServers ?? []);
  if (vscode) part.customizations = { vscode: { mcp: vscode } };
  return part;
}

/**
 * A host path as devcontainer.json spells it: `~` becomes `${localEnv:HOME}${localEnv:USERPROFILE}`
 * (HOME on Linux and macOS, USERPROFILE on Windows; the unset one is empty). `${localEnv:HOME:default}`
 * cannot stand in: the default ends at the next ':', which a Windows path has.
 */
export function hostPath(path: string): string {
  return path === "~" || path.startsWith("~/") ? `\${localEnv:HOME}\${localEnv:USERPROFILE}${path.slice(1)}` : path;
}

/** VS Code runs the servers in the container too, through the same launcher, so it gets the secrets the same way. */
function vscodeServers(servers: readonly McpServer[]): object | undefined {
  const { config } = renderVscode(routeThroughLauncher(servers, LAUNCHER_PATH).servers);
  return Object.keys(config.servers).length > 0 ? config : undefined;
}

/**
 * The starter source, written once at the configured path. Left out when the repository keeps its servers
 * elsewhere (a root config.toml found in place of the default): a new empty file would shadow it.
 * @param found the repository-relative path of the source found at scaffold time, if any.
 */
export function mcpStarterTree(options: ScaffoldOptions, found: string | undefined): Tree {
  if (options.mcpSource === undefined || (found !== undefined && found !== options.mcpSource)) return new Map();
  return new Map([[options.mcpSource, { content: renderMcpStarter(options.mcpSecretsFile), once: true }]]);
}
