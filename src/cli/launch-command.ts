/**
 * `create-agent-devcontainer launch <local-path|git-url> --agent <a>|all [--branch <name>] …`: parses
 * flags, resolves the container-shaping options the way the scaffolder does, and calls src/launch.
 * Progress and the summary go to stderr; `--json` prints the result on stdout.
 */
import { egressSummary } from "../egress/inspect.js";
import { AGENT_IDS, agent, isAgentId, type AgentId } from "../catalogue/agents.js";
import { applyAuthFlags, AuthFlagError } from "../auth/modes.js";
import { DEFAULT_FEATURE_OWNER } from "../features/refs.js";
import { DEFAULT_FEATURE_SOURCE, ENV_BASE_IMAGE, ENV_NODE_MIRROR, featureSourceFromFlags, flagOrEnv } from "./feature-source.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import { LaunchError } from "../launch/errors.js";
import { launch, type LaunchOptions, type LaunchResult } from "../launch/launch.js";
import { stateRoot } from "../launch/state.js";
import { assertValid, SchemaError } from "../schema/validate.js";
import { parseCommandLine } from "./args.js";
import { UserError } from "./errors.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_EGRESS, DEFAULT_MCP_SECRETS_FILE, DEFAULT_MCP_SOURCE_PATH, DEFAULT_USER } from "./scaffold-command.js";

export const LAUNCH_HELP = `Usage: create-agent-devcontainer launch <local-path|git-url> --agent <name> [options]

Starts a background container per agent, named <agent>-<repo>[-<branch>], with its own clone of the
repository on branch <agent>/<branch>. Writes nothing into the repository: its config lives in
$XDG_STATE_HOME/create-agent-devcontainer/launch/<name>/ (default ~/.local/state/…).

Options:
  --agent <name>          ${AGENT_IDS.join("|")}|all (required; repeatable)
  --branch <name>         feature part of the branch <agent>/<name> (default: a timestamp)
  --carry-changes         bring the checkout's uncommitted changes (staged, unstaged, new files)
  --base-image <image>    image to build on (default: $${ENV_BASE_IMAGE}, else
                          ${DEFAULT_BASE_IMAGE})
  --user <name>           non-root user (UID 1000) agents run as (default: ${DEFAULT_USER})
  --local-features        use the Features shipped in this package (the default; works offline)
  --ghcr-features         use the Features published on GHCR instead (needs a release of them)
  --features-owner <o>    GHCR owner of the published Features (default: ${DEFAULT_FEATURE_OWNER});
                          implies --ghcr-features
  --auth <mode>           copy|token|volume|broker, or <agent>=<mode>; repeatable (default: copy)
  --mcp-source <path>     MCP source of truth, relative to the repository (default: ${DEFAULT_MCP_SOURCE_PATH})
  --mcp-secrets <path>    host file with MCP secrets (default: ${DEFAULT_MCP_SECRETS_FILE}); a
                          container gets only the secrets its MCP source references
  --trust-mcp             render the MCP servers of a repository given by URL (they run with your
                          secrets; without this flag such a repository's MCP source is ignored)
  --upstream-access       give agents your GitHub CLI login, so they can push to the upstream
                          directly, around sync (default: off)
  --prebuilt              use the prebuilt agent images
  --node-mirror <url>     Node.js download mirror for the Features (default:
                          $${ENV_NODE_MIRROR}, else nodejs.org)
  --egress <mode>         allowlist|log|open network egress (default: ${DEFAULT_EGRESS})
  --allow-host <host>     host[:port] or *.domain the allowlist also admits; repeatable
  --json                  print the result as JSON on stdout
  -h, --help              show this help
`;

export async function runLaunch(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) return void process.stdout.write(LAUNCH_HELP);
  if (positionals.length !== 1) throw new UserError(`launch takes one repository (a local path or a git URL), got ${positionals.length}`, "see launch --help");
  const agents = resolveAgents(values.agent ?? []);
  const controller = new AbortController();
  const interrupt = (): void => {
    process.stderr.write("\ninterrupted: removing what this launch created…\n");
    controller.abort();
  };
  process.once("SIGINT", interrupt).once("SIGTERM", interrupt);
  let result: LaunchResult;
  try {
    result = await launch({
      source: positionals[0]!,
      cwd: process.cwd(),
      agents,
      ...(values.branch !== undefined ? { feature: values.branch } : {}),
      carry: values["carry-changes"] ?? false,
      trustMcp: values["trust-mcp"] ?? false,
      options: resolveOptions(agents, values),
      stateRoot: stateRoot(),
      now: new Date(),
      signal: controller.signal,
      progress: (name, message) => process.stderr.write(`${agents.length > 1 ? `${name}: ` : ""}${message}\n`),
      warn: (message) => process.stderr.write(`warning: ${message}\n`),
    });
  } catch (error) {
    throw error instanceof LaunchError ? new UserError(error.message, error.hint) : error;
  } finally {
    process.off("SIGINT", interrupt).off("SIGTERM", interrupt);
  }
  if (controller.signal.aborted) throw new UserError("interrupted; nothing was left behind");
  if (values.json) process.stdout.write(`${JSON.stringify(result.launched.map(withAttach), null, 2)}\n`);
  else summarise(result);
  if (result.failed.length > 0) {
    const [first, ...rest] = result.failed;
    throw new UserError(`${first!.name}: ${first!.error.message}${rest.length ? ` (and ${rest.length} more failed)` : ""}`, first!.error.hint);
  }
}

function parse(argv: string[]) {
  return parseCommandLine(
    argv,
    {
      agent: { type: "string", multiple: true },
      branch: { type: "string" },
      "carry-changes": { type: "boolean" },
      "base-image": { type: "string" },
      user: { type: "string" },
      "local-features": { type: "boolean" },
      "ghcr-features": { type: "boolean" },
      "features-owner": { type: "string" },
      auth: { type: "string", multiple: true },
      "mcp-source": { type: "string" },
      "mcp-secrets": { type: "string" },
      "trust-mcp": { type: "boolean" },
      prebuilt: { type: "boolean" },
      "upstream-access": { type: "boolean" },
      "node-mirror": { type: "string" },
      egress: { type: "string" },
      "allow-host": { type: "string", multiple: true },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "see launch --help",
  );
}

type Values = ReturnType<typeof parse>["values"];

function resolveAgents(names: readonly string[]): AgentId[] {
  if (names.length === 0) throw new UserError("launch needs --agent", `choose from ${AGENT_IDS.join(", ")} (or all)`);
  for (const name of names) {
    if (name !== "all" && !isAgentId(name)) throw new UserError(`unknown agent "${name}"`, `choose from ${AGENT_IDS.join(", ")} (or all)`);
  }
  return names.includes("all") ? [...AGENT_IDS] : [...new Set(names as AgentId[])];
}

/** The scaffolder's defaults and checks, for everything that shapes the container. */
function resolveOptions(agents: readonly AgentId[], values: Values): LaunchOptions {
  const nodeMirror = flagOrEnv(values["node-mirror"], ENV_NODE_MIRROR);
  const featureSource =
    featureSourceFromFlags({ localFeatures: values["local-features"], ghcrFeatures: values["ghcr-features"], featuresOwner: values["features-owner"] }) ??
    DEFAULT_FEATURE_SOURCE;
  let auth: ScaffoldOptions["auth"];
  try {
    auth = applyAuthFlags(agents, values.auth ?? []);
  } catch (error) {
    if (error instanceof AuthFlagError) throw new UserError(error.message);
    throw error;
  }
  const options: LaunchOptions = {
    baseImage: flagOrEnv(values["base-image"], ENV_BASE_IMAGE) ?? DEFAULT_BASE_IMAGE,
    user: values.user ?? DEFAULT_USER,
    featureSource,
    featureOwner: values["features-owner"] ?? DEFAULT_FEATURE_OWNER,
    auth,
    mcpSource: values["mcp-source"] ?? DEFAULT_MCP_SOURCE_PATH,
    mcpSecretsFile: values["mcp-secrets"] ?? DEFAULT_MCP_SECRETS_FILE,
    prebuilt: values.prebuilt ?? false,
    ...(values["upstream-access"] ? { upstreamAccess: true } : {}),
    ...(nodeMirror !== undefined ? { nodeMirror } : {}),
    egress: (values.egress ?? DEFAULT_EGRESS) as NonNullable<ScaffoldOptions["egress"]>,
    ...((values["allow-host"] ?? []).length > 0 ? { allowHosts: [...new Set(values["allow-host"])] } : {}),
  };
  try {
    assertValid<ScaffoldOptions>("scaffold-options", { ...options, agents: [...agents], repoName: "repo", workspace: "clone" }, "invalid options");
  } catch (error) {
    if (error instanceof SchemaError) throw new UserError(`invalid option: ${error.problems[0] ?? error.message}`, "see launch --help");
    throw error;
  }
  return options;
}

function withAttach(launched: LaunchResult["launched"][number]) {
  return { ...launched, attach: { shell: `create-agent-devcontainer shell ${launched.name}`, code: `create-agent-devcontainer code ${launched.name}` } };
}

/** Egress mode and what was refused during `up` (hooks, installs), with where to look. */
function egressLine(name: string): string {
  const summary = egressSummary(name);
  if (!summary) return "";
  const blocked = summary.blocked.length ? `blocked so far: ${summary.blocked.join(", ")}` : "nothing blocked so far";
  return `  egress:   ${summary.mode}, ${blocked} (create-agent-devcontainer egress ${name})\n`;
}

function summarise(result: LaunchResult): void {
  for (const launched of result.launched) {
    const carried = launched.carried
      ? `\n  carried:  ${[launched.carried.staged && "staged", launched.carried.unstaged && "unstaged"].filter(Boolean).join(" + ") || "no"} edits, ${launched.carried.untracked} new file(s)`
      : "";
    process.stderr.write(
      `\n${launched.name} is running: ${agent(launched.agent).title} in ${launched.workspaceFolder} on branch ${launched.branch}\n` +
        `  shell:    create-agent-devcontainer shell ${launched.name}\n` +
        `  VS Code:  create-agent-devcontainer code ${launched.name}\n` +
        `  git push: goes to its outbox; import into ${launched.localRepo} with: create-agent-devcontainer sync ${launched.name}${carried}\n` +
        `  log:      ${launched.logFile}\n` +
        egressLine(launched.name),
    );
  }
}
