/** `create-agent-devcontainer [dir]`: resolve options (flags, then prompts, then defaults), render, write. */
import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { AGENT_IDS, agent, isAgentId, type AgentId } from "../catalogue/agents.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { DEFAULT_FEATURE_OWNER } from "../features/refs.js";
import { readFeatureTrees } from "../features/load.js";
import { IMAGE_USER } from "../images/base.js";
import { readMcpSourceAt } from "../mcp/locate.js";
import { McpSourceError } from "../mcp/source.js";
import { agentConfigPath } from "../render/devcontainer-json.js";
import { featureIdsFor, renderScaffold, type ScaffoldInputs } from "../render/scaffold.js";
import { assertValid, SchemaError } from "../schema/validate.js";
import { EditConflictError, WriteError, writeTree, type PlannedFile } from "../write/writer.js";
import { applyAuthFlags, AuthFlagError } from "../auth/modes.js";
import { readEgressAssets } from "../egress/assets.js";
import { repoRootFiles } from "../egress/launch-inputs.js";
import { detectRegistries } from "../egress/presets.js";
import { UserError } from "./errors.js";
import { DEFAULT_FEATURE_SOURCE, featureSourceFromFlags } from "./feature-source.js";
import type { Prompter } from "./prompts.js";

export const DEFAULT_BASE_IMAGE = "debian:trixie-slim";
export const DEFAULT_USER = "agent";
export const DEFAULT_WORKSPACE = "clone";
export const DEFAULT_MCP_SOURCE_PATH = ".devcontainer/mcp.toml";
export const DEFAULT_MCP_SECRETS_FILE = "~/.config/agent-devcontainer/mcp-secrets.env";
export const DEFAULT_EGRESS = "allowlist";

export interface ScaffoldFlags {
  dir?: string | undefined;
  agents: string[];
  baseImage?: string | undefined;
  user?: string | undefined;
  localFeatures: boolean;
  ghcrFeatures?: boolean | undefined;
  featuresOwner?: string | undefined;
  /** `copy|token|volume|broker` for every agent, or `<agent>=<mode>` for one; later entries win. */
  auth: string[];
  workspace?: string | undefined;
  mcpSource?: string | undefined;
  mcpSecrets?: string | undefined;
  prebuilt: boolean;
  upstreamAccess: boolean;
  ciWorkflow: boolean;
  nodeMirror?: string | undefined;
  /** allowlist|log|open (default allowlist). */
  egress?: string | undefined;
  allowHosts?: string[];
  yes: boolean;
  json: boolean;
  dryRun: boolean;
  force: boolean;
}

export interface ScaffoldResult {
  root: string;
  dryRun: boolean;
  files: PlannedFile[];
  configs: string[];
}

export async function scaffold(flags: ScaffoldFlags, prompter: Prompter | undefined): Promise<ScaffoldResult> {
  const root = resolve(flags.dir ?? ".");
  checkDirectory(root);
  const options = await resolveOptions(flags, root, prompter);
  const features = options.featureSource === "local" ? readFeatureTrees(featureIdsFor(options)) : new Map();
  const tree = renderScaffold(options, features, readInputs(root, options));
  try {
    const files = writeTree(root, tree, { force: flags.force, dryRun: flags.dryRun });
    return { root, dryRun: flags.dryRun, files, configs: options.agents.map((id) => agentConfigPath(agent(id))) };
  } catch (error) {
    if (error instanceof EditConflictError) throw new UserError(error.message);
    if (error instanceof WriteError) throw new UserError(error.message, "choose a folder you can write to");
    throw error;
  }
}

/** The MCP source already in the repository (VS Code's servers come from it); an invalid one stops here. */
function readInputs(root: string, options: ScaffoldOptions): ScaffoldInputs {
  try {
    const mcpSource = options.mcpSource === undefined ? undefined : readMcpSourceAt(root, options.mcpSource);
    const enforced = options.egress !== undefined && options.egress !== "open";
    return { ...(mcpSource ? { mcpSource } : {}), ...(enforced ? { egressAssets: readEgressAssets() } : {}) };
  } catch (error) {
    if (error instanceof McpSourceError) throw new UserError(`invalid MCP source:\n${error.message}`, "nothing was written");
    throw error;
  }
}

function checkDirectory(root: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new UserError(`no such directory: ${root}`, "pass the folder of an existing repository");
  }
  if (!isDirectory) throw new UserError(`not a directory: ${root}`, "pass the folder of a repository, not a file");
}

async function resolveOptions(flags: ScaffoldFlags, root: string, prompter: Prompter | undefined): Promise<ScaffoldOptions> {
  const chosenSource = featureSourceFromFlags(flags);
  if (flags.prebuilt && flags.user !== undefined && flags.user !== IMAGE_USER) {
    throw new UserError(`--prebuilt images run as ${IMAGE_USER}; --user ${flags.user} conflicts`, "drop --user, or build the Features instead");
  }
  for (const name of flags.agents) {
    if (name !== "all" && !isAgentId(name)) {
      throw new UserError(`unknown agent "${name}"`, `choose from ${AGENT_IDS.join(", ")} (or all)`);
    }
  }
  const ask = flags.yes || flags.json ? undefined : prompter;
  const agents = flags.agents.includes("all")
    ? [...AGENT_IDS]
    : flags.agents.length > 0
      ? [...new Set(flags.agents as AgentId[])]
      : ask
        ? await ask.multiselect(
            "Which agents get a dev container?",
            AGENT_IDS.map((id) => ({ value: id, label: agent(id).title })),
            [...AGENT_IDS],
          )
        : [...AGENT_IDS];
  const baseImage =
    flags.baseImage ?? (ask ? await ask.text("Base image", DEFAULT_BASE_IMAGE, (v) => (v ? undefined : "required")) : DEFAULT_BASE_IMAGE);
  const featureSource =
    chosenSource ??
    (ask
      ? await ask.select(
          "Where should the configs get the agent Features from?",
          [
            { value: "local", label: "Vendored copies", hint: "under .devcontainer/features: works today, offline" },
            { value: "ghcr", label: "GHCR", hint: "published releases only" },
          ],
          DEFAULT_FEATURE_SOURCE,
        )
      : DEFAULT_FEATURE_SOURCE);
  const options = {
    agents,
    baseImage,
    user: flags.user ?? DEFAULT_USER,
    featureSource,
    featureOwner: flags.featuresOwner ?? DEFAULT_FEATURE_OWNER,
    repoName: basename(root),
    auth: resolveAuth(agents, flags.auth),
    workspace: flags.workspace ?? DEFAULT_WORKSPACE,
    mcpSource: flags.mcpSource ?? DEFAULT_MCP_SOURCE_PATH,
    mcpSecretsFile: flags.mcpSecrets ?? DEFAULT_MCP_SECRETS_FILE,
    prebuilt: flags.prebuilt,
    ...(flags.upstreamAccess ? { upstreamAccess: true } : {}),
    ciWorkflow: flags.ciWorkflow,
    ...(flags.nodeMirror !== undefined ? { nodeMirror: flags.nodeMirror } : {}),
    egress: flags.egress ?? DEFAULT_EGRESS,
    ...((flags.allowHosts ?? []).length > 0 ? { allowHosts: [...new Set(flags.allowHosts)] } : {}),
    registries: detectRegistries(repoRootFiles(root), baseImage),
  };
  const brokered = Object.entries(options.auth).filter(([, mode]) => mode === "broker").map(([id]) => id);
  if (brokered.length > 0 && options.egress === "open") {
    throw new UserError(`--auth broker (${brokered.join(", ")}) needs the egress enforcer: use --egress allowlist or log, not open`);
  }
  try {
    assertValid<ScaffoldOptions>("scaffold-options", options, "invalid options");
  } catch (error) {
    if (error instanceof SchemaError) throw new UserError(flagMessage(error.problems[0] ?? error.message));
    throw error;
  }
  return options;
}

/** `--auth` entries resolved by the auth module; its errors are the user's. */
function resolveAuth(agents: readonly AgentId[], entries: readonly string[]): Record<string, string> {
  try {
    return applyAuthFlags(agents, entries);
  } catch (error) {
    if (error instanceof AuthFlagError) throw new UserError(error.message);
    throw error;
  }
}

const FLAG_FOR: Record<string, string> = {
  auth: "--auth",
  workspace: "--workspace",
  mcpSource: "--mcp-source",
  mcpSecretsFile: "--mcp-secrets",
  nodeMirror: "--node-mirror",
  baseImage: "--base-image",
  user: "--user",
  featureOwner: "--features-owner",
  agents: "--agent",
  egress: "--egress",
  allowHosts: "--allow-host",
};

/** Names the flag a schema problem came from, so the one-line error tells the user what to change. */
function flagMessage(problem: string): string {
  const field = /^([A-Za-z]+)/.exec(problem)?.[1] ?? "";
  const flag = FLAG_FOR[field];
  return flag ? `${flag}: ${problem.slice(field.length).replace(/^(\[\d+\])?:\s*/, "")}` : problem;
}
