/**
 * `create-agent-devcontainer [dir]`: its definition (flags, defaults, help), then options resolved from
 * flags, then prompts, then defaults; render, write.
 */
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, resolve } from "node:path";
import { defaultAgents } from "../auth/found-logins.js";
import { probeLogins } from "../auth/probe.js";
import { AGENT_IDS, agent } from "../catalogue/agents.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { readFeatureTrees } from "../features/load.js";
import { readMcpSourceAt } from "../mcp/locate.js";
import { McpSourceError } from "../mcp/source.js";
import { agentConfigPath } from "../render/devcontainer-json.js";
import { featureIdsFor, renderScaffold, type ScaffoldInputs } from "../render/scaffold.js";
import { writeTree, type PlannedFile } from "../write/writer.js";
import { readEgressAssets } from "../egress/assets.js";
import { repoRootFiles } from "../egress/launch-inputs.js";
import { detectRegistries } from "../egress/presets.js";
import { UserError } from "../errors.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, type Parsed } from "./args.js";
import { commandList } from "./commands.js";
import { DEFAULT_FEATURE_SOURCE, type FeatureSource } from "./feature-source.js";
import { AGENT_FLAG, agentsNamed, assertValidOptions, checkContainerFlags, CONTAINER_FLAGS, containerOptions, type Chosen } from "./flags.js";
import type { Prompter } from "./prompts.js";
import { DEFAULT_WORKSPACE } from "../scaffold-defaults.js";

export const SCAFFOLD = defineCommand({
  usage: "[dir] [options]",
  description: `Writes .devcontainer/<agent>/devcontainer.json for each chosen agent into the repository at [dir]
(default: the current folder). Asks when stdin is a terminal; otherwise, or with --yes, takes defaults.

Commands:
${commandList()}`,
  flags: {
    agent: { ...AGENT_FLAG, help: `${AGENT_FLAG.help} (default: the agents whose login or key is on this host, as doctor finds them; all when none is)` },
    ...CONTAINER_FLAGS,
    workspace: {
      type: "string",
      arg: "kind",
      help: "clone (own clone on a volume, host tree untouched) or bind",
      default: DEFAULT_WORKSPACE,
      option: "workspace",
    },
    "ci-workflow": {
      type: "boolean",
      help: "also write .github/workflows/agent-<agent>.yml: the agent headless in GitHub Actions, logged in with tokens from repository secrets",
    },
    yes: { type: "boolean", short: "y", help: "take every default without asking" },
    "dry-run": { type: "boolean", help: "print what would be written, write nothing" },
    force: { type: "boolean", help: "overwrite files you edited since they were generated" },
    json: { ...JSON_FLAG, help: "print the result as JSON on stdout (implies no prompts)" },
    help: HELP_FLAG,
    version: { type: "boolean", short: "v", help: "print the version" },
  },
  sections: [
    [
      "Examples",
      `  npx create-agent-devcontainer --yes
  npx create-agent-devcontainer ./my-repo --agent claude --agent codex --ghcr-features
  npx create-agent-devcontainer --agent gemini --base-image debian:bookworm-slim --dry-run --json
  npx create-agent-devcontainer --agent claude --agent codex --auth token --auth codex=volume`,
    ],
  ],
});

type ScaffoldArgs = Parsed<typeof SCAFFOLD.flags>;

export interface ScaffoldResult {
  root: string;
  dryRun: boolean;
  files: PlannedFile[];
  configs: string[];
  /** Without --agent and without prompts: which agents the default took, and why. */
  agentsChosen?: string;
}

export async function scaffold(args: ScaffoldArgs, prompter: Prompter | undefined): Promise<ScaffoldResult> {
  if (args.positionals.length > 1) throw new UserError(`expected at most one directory, got ${args.positionals.length}`, "see --help");
  const { values } = args;
  const root = resolve(args.positionals[0] ?? ".");
  checkDirectory(root);
  let agentsChosen: string | undefined;
  const options = await resolveOptions(args, root, prompter, (why) => (agentsChosen = why));
  const features = options.featureSource === "local" ? readFeatureTrees(featureIdsFor(options)) : new Map();
  const tree = renderScaffold(options, features, readInputs(root, options));
  const files = writeTree(root, tree, { force: values.force, dryRun: values["dry-run"] });
  return { root, dryRun: values["dry-run"], files, configs: options.agents.map((id) => agentConfigPath(agent(id))), ...(agentsChosen ? { agentsChosen } : {}) };
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

async function resolveOptions(
  { values, given }: ScaffoldArgs,
  root: string,
  prompter: Prompter | undefined,
  onChoice: (why: string) => void,
): Promise<ScaffoldOptions> {
  const flaggedSource = checkContainerFlags(values, given);
  const ask = values.yes || values.json ? undefined : prompter;
  // Without --agent: the agents whose login or key is on this host (doctor's findings), else all of them.
  const suggested = given.has("agent") ? undefined : defaultAgents(probeLogins({ env: process.env, home: homedir(), platform: process.platform }), AGENT_IDS);
  const agents = !suggested
    ? agentsNamed(values.agent)
    : ask
      ? await ask.multiselect(
          "Which agents get a dev container?",
          AGENT_IDS.map((id) => ({ value: id, label: agent(id).title })),
          suggested.agents,
        )
      : suggested.agents;
  if (suggested && !ask) onChoice(suggested.why);
  const chosen: Chosen = {};
  if (ask && !given.has("base-image")) {
    chosen.baseImage = await ask.text("Base image", values["base-image"], (v) => (v ? undefined : "required"));
  }
  if (ask && flaggedSource === undefined) {
    chosen.featureSource = await ask.select<FeatureSource>(
      "Where should the configs get the agent Features from?",
      [
        { value: "local", label: "Vendored copies", hint: "under .devcontainer/features: works today, offline" },
        { value: "ghcr", label: "GHCR", hint: "published releases only" },
      ],
      DEFAULT_FEATURE_SOURCE,
    );
  }
  const container = containerOptions(values, given, agents, chosen);
  const options: ScaffoldOptions = {
    ...container,
    agents,
    repoName: basename(root),
    workspace: values.workspace as NonNullable<ScaffoldOptions["workspace"]>,
    ciWorkflow: values["ci-workflow"],
    registries: detectRegistries(repoRootFiles(root)),
  };
  assertValidOptions(options, SCAFFOLD);
  return options;
}
