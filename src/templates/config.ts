/**
 * A template's devcontainer.json: what the scaffolder renders for the same agents with its defaults, on
 * the published base image, with the template options substituted in as values.
 */
import { agent, type AgentId } from "../catalogue/agents.js";
import {
  DEFAULT_MCP_SECRETS_FILE,
  DEFAULT_MCP_SOURCE_PATH,
  DEFAULT_USER,
  DEFAULT_WORKSPACE,
} from "../scaffold-defaults.js";
import { DEFAULT_AUTH } from "../auth/modes.js";
import { DEFAULT_FEATURE_OWNER, featureRef } from "../features/refs.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { BASE_IMAGE_NAME, imageRef } from "../images/refs.js";
import type { DevContainerConfig } from "../model/devcontainer.js";
import { configComments, renderAgentConfig } from "../render/devcontainer-json.js";
import { hostScriptTree } from "../host/scripts.js";
import { renderJsonc, type Tree } from "../core/tree.js";
import { MCP_SOURCE_OPTION, placeholder, substituteOption, versionOptionId } from "./options.js";

export const TEMPLATE_CONFIG_HEADER =
  "From the create-agent-devcontainer template. `npx create-agent-devcontainer` renders the same config with more choices.";

/**
 * The scaffolder's defaults, on the published base image (Node.js, git and gh already in it, so only the
 * agent installs at `up`), with the repository name taken from the folder the template lands in.
 */
export function templateScaffoldOptions(agents: readonly AgentId[], mcpSource: string): ScaffoldOptions {
  return {
    agents: [...agents],
    baseImage: imageRef(DEFAULT_FEATURE_OWNER, BASE_IMAGE_NAME),
    user: DEFAULT_USER,
    featureSource: "ghcr",
    featureOwner: DEFAULT_FEATURE_OWNER,
    repoName: "${localWorkspaceFolderBasename}",
    auth: Object.fromEntries(agents.map((id) => [id, DEFAULT_AUTH])),
    workspace: DEFAULT_WORKSPACE,
    mcpSource,
    mcpSecretsFile: DEFAULT_MCP_SECRETS_FILE,
  };
}

/** Pins each agent's Feature to its template option. */
function withVersions(config: DevContainerConfig, agents: readonly AgentId[], options: ScaffoldOptions): DevContainerConfig {
  const features = { ...config.features };
  for (const id of agents) {
    const ref = featureRef(id, options);
    features[ref] = { version: placeholder(versionOptionId(id)), ...features[ref] };
  }
  return { ...config, features };
}

function renderConfig(agents: readonly AgentId[], mcpSource: string): DevContainerConfig {
  const options = templateScaffoldOptions(agents, mcpSource);
  // The container-wide parts (the workspace and its push mounts, MCP) come once, from the first agent.
  const { mcpSource: _shared, ...rest } = options;
  const others: ScaffoldOptions = { ...rest, workspace: "bind" };
  const configs = agents.map((id, i) => renderAgentConfig(agent(id), i === 0 ? options : others));
  const merged = configs.length === 1 ? configs[0]! : mergeAgentConfigs(`All agents · ${options.repoName}`, configs);
  return withVersions(merged, agents, options);
}

/** The host steps the template's initializeCommand runs, shipped in the template's .devcontainer/host/. */
export function templateHostScripts(agents: readonly AgentId[]): Tree {
  return hostScriptTree([renderConfig(agents, DEFAULT_MCP_SOURCE_PATH).initializeCommand]);
}

function renderTemplateJsonc(config: DevContainerConfig): string {
  return renderJsonc(TEMPLATE_CONFIG_HEADER, config, configComments(config));
}

export function renderTemplateConfig(agents: readonly AgentId[]): string {
  return substituteOption(MCP_SOURCE_OPTION, (path) => renderTemplateJsonc(renderConfig(agents, path)));
}

/**
 * One container for several agents: the first agent's config with every other agent's Features, login
 * mounts, environment, hooks and labels added. Where two agents set the same thing differently (the
 * container's agent label) the first one's stays: the container and its workspace belong to it.
 */
export function mergeAgentConfigs(name: string, configs: readonly DevContainerConfig[]): DevContainerConfig {
  const [first, ...rest] = configs;
  if (!first) throw new Error("no configs to merge");
  const merged = rest.reduce((into, config) => union(into, config, "") as DevContainerConfig, first);
  return { ...merged, name };
}

const HOOKS = new Set(["initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand", "postAttachCommand"]);

function union(a: unknown, b: unknown, key: string): unknown {
  // A hook in string or argv form is one command: two different ones cannot be merged.
  if (HOOKS.has(key) && !(isObject(a) && isObject(b))) {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`agents set ${key} differently; use its object form`);
    return a;
  }
  if (Array.isArray(a) && Array.isArray(b)) return key === "runArgs" ? unionRunArgs(a as string[], b as string[]) : unionList(a, b);
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? union(out[k], v, k) : v;
    return out;
  }
  return a;
}

function unionList(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const seen = new Set(a.map((item) => JSON.stringify(item)));
  return [...a, ...b.filter((item) => !seen.has(JSON.stringify(item)))];
}

/** `--label=K=V` arguments: one value per label key (Docker keeps only the last one anyway). */
function unionRunArgs(a: readonly string[], b: readonly string[]): string[] {
  const labelKey = (arg: string) => /^--label=([^=]+)=/.exec(arg)?.[1];
  const keys = new Set(a.map(labelKey).filter(Boolean));
  return unionList(a, b.filter((arg) => { const k = labelKey(arg); return k === undefined || !keys.has(k); })) as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
