/**
 * MCP's share of an agent's devcontainer.json and of the scaffold: the mcp Feature, the secrets its source
 * references mounted read-only (a filtered copy of the host's secrets file, made before every `up`), VS Code's
 * own copy of the servers, and the starter source the user owns. Nothing here when the options name no
 * MCP source.
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import { authModeOf } from "../../auth/modes.js";
import { brokeredMcpNames } from "../../egress/broker-args.js";
import { MCP_FEATURE_ID } from "../../features/mcp-feature.js";
import { featureRef } from "../../features/refs.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { LAUNCHER_PATH, SECRETS_STAGING_PATH, SOURCE_ENV } from "../../mcp/container.js";
import { routeThroughLauncher } from "../../mcp/launcher.js";
import { DEFAULT_MCP_SOURCE } from "../../mcp/locate.js";
import type { McpServer } from "../../mcp/model.js";
import { renderVscode } from "../../mcp/render/vscode.js";
import { renderMcpStarter } from "../../mcp/starter.js";
import type { ConfigPart, RenderInputs } from "../parts.js";
import { hostCommand, SCAFFOLD_HOST_DIR } from "../../host/scripts.js";
import { mountSpec, type WorkspaceHost } from "./workspace.js";
import type { Tree } from "../../core/tree.js";

/** The filtered secrets the host step writes into the container's host folder (see src/host/mcp-secrets.sh). */
export const FILTERED_SECRETS_FILE = "mcp-secrets.env";

export function mcpPart(record: AgentRecord, options: ScaffoldOptions, host?: WorkspaceHost, inputs: RenderInputs = {}): ConfigPart {
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
    // Only the secrets the source references reach the container: a copy the host step filters before
    // every `up` (`launch` runs the same step itself).
    const hostDir = host?.hostDir ?? SCAFFOLD_HOST_DIR;
    // With the broker, remote servers' header secrets go to the egress enforcer instead (../../egress/broker-args.ts).
    const brokered = authModeOf(record.id, options) === "broker" ? brokeredMcpNames(inputs.mcpServers ?? []) : [];
    if (!host) part.initializeCommand = { "mcp-secrets": hostCommand("mcp-secrets", hostPath(options.mcpSecretsFile), options.mcpSource, hostDir, ...brokered) };
    part.mounts = [mountSpec({ type: "bind", source: `${hostDir}/${FILTERED_SECRETS_FILE}`, target: SECRETS_STAGING_PATH, readonly: true })];
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
