/**
 * The flags that shape an agent's container, shared by the scaffolder and `launch`, and their resolution
 * into options: each written once, with its default, its help and the ScaffoldOptions field it sets.
 */
import { AGENT_IDS, isAgentId, type AgentId } from "../catalogue/agents.js";
import { AUTH_MODES, DEFAULT_AUTH } from "../auth/modes.js";
import { authAndGateway } from "../launch/auth-gateway.js";
import { UserError } from "../errors.js";
import { DEFAULT_FEATURE_OWNER } from "../features/refs.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { IMAGE_USER } from "../images/base.js";
import { ALLOW_PRESETS, ALLOW_PRESET_IDS, isAllowPresetId } from "../egress/allow-presets.js";
import { DEFAULT_LIMITS, parseLimits, type Limits, type LimitsOf } from "../limits/limits.js";
import type { LaunchOptions } from "../launch/launch.js";
import {
  DEFAULT_BASE_IMAGE,
  DEFAULT_EGRESS,
  DEFAULT_MCP_SECRETS_FILE,
  DEFAULT_MCP_SOURCE_PATH,
  DEFAULT_USER,
} from "../scaffold-defaults.js";
import { assertValid, SchemaError } from "../schema/validate.js";
import type { CommandSpec, Flags, ListFlag, Values } from "./args.js";
import { DEFAULT_FEATURE_SOURCE, ENV_BASE_IMAGE, ENV_NODE_MIRROR, featureSourceFromFlags, type FeatureSource } from "./feature-source.js";

export const AGENT_FLAG = {
  type: "string",
  multiple: true,
  arg: "name",
  help: `${AGENT_IDS.join("|")}|all; repeat for several`,
  option: "agents",
} as const satisfies ListFlag;

export const CONTAINER_FLAGS = {
  "base-image": { type: "string", arg: "image", help: "image to build on", env: ENV_BASE_IMAGE, default: DEFAULT_BASE_IMAGE, option: "baseImage" },
  user: { type: "string", arg: "name", help: "non-root user (UID 1000) agents run as", default: DEFAULT_USER, option: "user" },
  "local-features": {
    type: "boolean",
    help: "vendor the Features (scaffold: under .devcontainer/features); the default: works today, offline, at this version",
  },
  "ghcr-features": { type: "boolean", help: "refer to the Features published on GHCR instead (needs a release of them)" },
  "features-owner": {
    type: "string",
    arg: "o",
    help: `GHCR owner of the published Features (default: ${DEFAULT_FEATURE_OWNER}); implies --ghcr-features`,
    option: "featureOwner",
  },
  auth: {
    type: "string",
    multiple: true,
    arg: "mode",
    help: `how agents log in: ${AUTH_MODES.join("|")}, or <agent>=<mode>; repeatable (default: ${DEFAULT_AUTH})`,
    option: "auth",
  },
  "mcp-source": { type: "string", arg: "path", help: "MCP source of truth, relative to the repository", default: DEFAULT_MCP_SOURCE_PATH, option: "mcpSource" },
  "mcp-secrets": {
    type: "string",
    arg: "path",
    help: "host file with MCP secrets, mounted read-only; a container gets only the secrets its MCP source references",
    default: DEFAULT_MCP_SECRETS_FILE,
    option: "mcpSecretsFile",
  },
  "upstream-access": {
    type: "boolean",
    help: "give agents your GitHub CLI login (gh hosts.yml / GH_TOKEN), so they can push to and call the upstream directly, around sync (default: off)",
  },
  prebuilt: { type: "boolean", help: "use the prebuilt agent images instead of building Features" },
  "node-mirror": { type: "string", arg: "url", help: "where the Features take Node.js from: a mirror of nodejs.org/dist, or npm (the official build from the npm registry; npm:<url> for your own)", env: ENV_NODE_MIRROR, unset: "nodejs.org", option: "nodeMirror" },
  egress: {
    type: "string",
    arg: "mode",
    help: "allowlist (only listed hosts), log (all public hosts, logged) or open; the list: .devcontainer/egress.toml",
    default: DEFAULT_EGRESS,
    option: "egress",
  },
  "allow-host": { type: "string", multiple: true, arg: "host", help: "host[:port] or *.domain the allowlist also admits; repeatable", option: "allowHosts" },
  "allow-preset": {
    type: "string",
    multiple: true,
    arg: "name",
    help: `a named group of hosts the allowlist also admits, none needed while an agent runs: ${ALLOW_PRESETS.map((preset) => `${preset.id} (${preset.summary})`).join(", ")}; repeatable`,
    option: "allowPresets",
  },
  limits: {
    type: "string",
    arg: "pids=N,memory=SIZE,cpus=N",
    help: `the agent container's process, memory and CPU ceilings, any of them (default: ${limitsText("agent")}); 0 turns one off`,
    option: "limits",
  },
  "enforcer-limits": {
    type: "string",
    arg: "pids=N,memory=SIZE,cpus=N",
    help: `the same for its egress enforcer (default: ${limitsText("enforcer")})`,
    option: "limits",
  },
  "agent-env": {
    type: "string",
    multiple: true,
    arg: "KEY=VAL",
    help: "a model gateway setting: one of the agent's documented base-URL and model variables (e.g. ANTHROPIC_BASE_URL=https://llm.example.com), each agent getting its own; the base URL's host joins the allowlist; repeatable",
    option: "agentEnv",
  },
} as const satisfies Flags;

function limitsText(of: LimitsOf): string {
  const { pids, memory, cpus } = DEFAULT_LIMITS[of];
  return `pids=${pids},memory=${memory},cpus=${cpus}`;
}

/** `--agent` values as agent ids ("all" is every agent); an empty list when none was named. */
export function agentsNamed(names: readonly string[]): AgentId[] {
  for (const name of names) {
    if (name !== "all" && !isAgentId(name)) throw new UserError(`unknown agent "${name}"`, `choose from ${AGENT_IDS.join(", ")} (or all)`);
  }
  return names.includes("all") ? [...AGENT_IDS] : [...new Set(names as AgentId[])];
}

type ContainerValues = Values<typeof CONTAINER_FLAGS>;

/** What a prompt chose in place of a flag left out. */
export interface Chosen {
  baseImage?: string;
  featureSource?: FeatureSource;
}

/** Flags that conflict, refused before anything is asked; returns the Feature source they name, if any. */
export function checkContainerFlags(values: ContainerValues, given: ReadonlySet<string>): FeatureSource | undefined {
  if (values.prebuilt && given.has("user") && values.user !== IMAGE_USER) {
    throw new UserError(`--prebuilt images run as ${IMAGE_USER}; --user ${values.user} conflicts`, "drop --user, or build the Features instead");
  }
  return featureSourceFromFlags(featureSourceFlags(values));
}

/** The container-shaping options, from the flags (and what a prompt chose for a flag left out). */
export function containerOptions(
  values: ContainerValues,
  given: ReadonlySet<string>,
  agents: readonly AgentId[],
  chosen: Chosen = {},
): LaunchOptions {
  const featureSource = checkContainerFlags(values, given) ?? chosen.featureSource ?? DEFAULT_FEATURE_SOURCE;
  const { auth, ...agentEnv } = authAndGateway(agents, values.auth, values["agent-env"], values.egress);
  return {
    baseImage: chosen.baseImage ?? values["base-image"],
    user: values.user,
    featureSource,
    featureOwner: values["features-owner"] ?? DEFAULT_FEATURE_OWNER,
    auth,
    mcpSource: values["mcp-source"],
    mcpSecretsFile: values["mcp-secrets"],
    prebuilt: values.prebuilt,
    ...(values["upstream-access"] ? { upstreamAccess: true } : {}),
    ...(values["node-mirror"] !== undefined ? { nodeMirror: values["node-mirror"] } : {}),
    egress: values.egress as NonNullable<ScaffoldOptions["egress"]>,
    ...(values["allow-host"].length > 0 ? { allowHosts: [...new Set(values["allow-host"])] } : {}),
    ...allowPresetsOption(values["allow-preset"]),
    ...limitsOption(values.limits, values["enforcer-limits"]),
    ...agentEnv,
  };
}

/** `--allow-preset` names, checked against the presets there are. */
function allowPresetsOption(names: readonly string[]): Pick<LaunchOptions, "allowPresets"> {
  for (const name of names) {
    if (!isAllowPresetId(name)) throw new UserError(`--allow-preset: unknown preset ${JSON.stringify(name)}`, `choose from ${ALLOW_PRESET_IDS.join(", ")}`);
  }
  return names.length > 0 ? { allowPresets: [...new Set(names)] as NonNullable<LaunchOptions["allowPresets"]> } : {};
}

/** `--limits` and `--enforcer-limits`: what they set (the rest keeps its default), a bad value named. */
function limitsOption(agentText: string | undefined, enforcerText: string | undefined): Pick<LaunchOptions, "limits"> {
  const parse = (flag: string, text: string | undefined): Limits | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseLimits(text);
    if (typeof parsed === "string") throw new UserError(`--${flag}: ${parsed}`, `e.g. --${flag} ${limitsText(flag === "limits" ? "agent" : "enforcer")}`);
    return parsed;
  };
  const agentLimits = parse("limits", agentText);
  const enforcerLimits = parse("enforcer-limits", enforcerText);
  if (!agentLimits && !enforcerLimits) return {};
  return { limits: { ...(agentLimits ? { agent: agentLimits } : {}), ...(enforcerLimits ? { enforcer: enforcerLimits } : {}) } };
}

function featureSourceFlags(values: ContainerValues) {
  return { localFeatures: values["local-features"], ghcrFeatures: values["ghcr-features"], featuresOwner: values["features-owner"] };
}

/** Validates options against the schema; a problem names the flag it came from, so the user knows what to change. */
export function assertValidOptions(options: ScaffoldOptions, spec: CommandSpec): void {
  try {
    assertValid<ScaffoldOptions>("scaffold-options", options, "invalid options");
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    const problem = error.problems[0] ?? error.message;
    const field = /^([A-Za-z]+)/.exec(problem)?.[1] ?? "";
    const flag = Object.entries(spec.flags).find(([, f]) => f.option === field)?.[0];
    throw new UserError(flag ? `--${flag}: ${problem.slice(field.length).replace(/^(\[\d+\])?:\s*/, "")}` : `invalid option: ${problem}`);
  }
}
