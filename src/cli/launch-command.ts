/**
 * `create-agent-devcontainer launch <local-path|git-url> --agent <a>|all [--branch <name>] …`: parses
 * flags, resolves the container-shaping options the way the scaffolder does, and calls src/launch.
 * Progress and the summary go to stderr; `--json` prints the result on stdout.
 */
import { escapeControls, safeJson } from "../terminal.js";
import { formatBlocked } from "../egress/blocked.js";
import { egressSummary } from "../egress/inspect.js";
import { AGENT_IDS, agent } from "../catalogue/agents.js";
import { launch, type LaunchResult } from "../launch/launch.js";
import { stateRoot } from "../launch/state.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";
import { UserError } from "../errors.js";
import { AGENT_FLAG, agentsNamed, assertValidOptions, CONTAINER_FLAGS, containerOptions } from "./flags.js";
import { startAndReport, TASK_FILE_FLAG, taskPrompt } from "./task-command.js";
import type { TaskStatus } from "../tasks/status.js";
import { noticeOrphans } from "../lifecycle/orphan-notice.js";
import { readInventory } from "../lifecycle/inventory.js";
import { authModeOf } from "../auth/modes.js";
import { sharedCopyNotices } from "../auth/shared-copies.js";

export const LAUNCH = defineCommand({
  usage: "launch <local-path|git-url> --agent <name> [options]",
  description: `Starts a background container per agent, named <agent>-<repo>[-<branch>], with its own clone of the
repository on branch <agent>/<branch>. Writes nothing into the repository: its config lives in
$XDG_STATE_HOME/create-agent-devcontainer/launch/<name>/ (default ~/.local/state/…).`,
  flags: {
    agent: { ...AGENT_FLAG, help: `${AGENT_FLAG.help} (required)` },
    branch: { type: "string", arg: "name", help: "feature part of the branch <agent>/<name> (default: a timestamp)" },
    "carry-changes": { type: "boolean", help: "bring the checkout's uncommitted changes (staged, unstaged, new files)" },
    ...CONTAINER_FLAGS,
    "trust-mcp": {
      type: "boolean",
      help: "render the MCP servers of a repository given by URL (they run with your secrets; without this flag such a repository's MCP source is ignored)",
    },
    task: {
      type: "string",
      arg: "prompt",
      help: "run the agent headless on this prompt once the container is ready, then commit, push and import its branch (see: list, logs, diff, wait)",
    },
    "task-file": TASK_FILE_FLAG,
    json: JSON_FLAG,
    help: HELP_FLAG,
  },
});

export async function runLaunch(argv: string[]): Promise<void> {
  const args = parseOrHelp(LAUNCH, argv);
  if (!args) return;
  const { values, given, positionals } = args;
  if (positionals.length !== 1) throw new UserError(`launch takes one repository (a local path or a git URL), got ${positionals.length}`, "see launch --help");
  const agents = agentsNamed(values.agent);
  if (agents.length === 0) throw new UserError("launch needs --agent", `choose from ${AGENT_IDS.join(", ")} (or all)`);
  const options = containerOptions(values, given, agents);
  assertValidOptions({ ...options, agents: [...agents], repoName: "repo", workspace: "clone" }, LAUNCH);
  const prompt = taskPrompt(values.task, values["task-file"], process.cwd());
  const controller = new AbortController();
  const interrupt = (): void => {
    process.stderr.write("\ninterrupted: removing what this launch created…\n");
    controller.abort();
  };
  process.once("SIGINT", interrupt).once("SIGTERM", interrupt);
  // Read before this launch makes anything: what it makes is never counted.
  const inventory = readInventory();
  const notice = noticeOrphans(inventory);
  let result: LaunchResult;
  try {
    result = await launch({
      source: positionals[0]!,
      cwd: process.cwd(),
      agents,
      ...(values.branch !== undefined ? { feature: values.branch } : {}),
      carry: values["carry-changes"],
      trustMcp: values["trust-mcp"],
      options,
      stateRoot: stateRoot(),
      now: new Date(),
      signal: controller.signal,
      // A stage can quote an in-container hook's own words: escaped like everything else from a container.
      progress: (name, message) => process.stderr.write(`${agents.length > 1 ? `${name}: ` : ""}${escapeControls(message)}\n`),
      warn: (message) => process.stderr.write(`warning: ${escapeControls(message)}\n`),
    });
  } finally {
    process.off("SIGINT", interrupt).off("SIGTERM", interrupt);
  }
  if (controller.signal.aborted) throw new UserError("interrupted; nothing was left behind");
  if (!values.json) await summarise(result);
  await notice();
  const copies = result.launched.filter((l) => authModeOf(l.agent, options) === "copy").map((l) => l.agent);
  const before = await inventory.catch(() => undefined);
  for (const line of before ? sharedCopyNotices(before.containers, copies) : []) process.stderr.write(`warning: ${escapeControls(line)}\n`);
  // Each launched container starts its task; one that cannot (not logged in) is reported and left usable.
  const tasks = new Map<string, TaskStatus>();
  const refused: string[] = [];
  for (const launched of prompt === undefined ? [] : result.launched) {
    try {
      tasks.set(launched.name, await startAndReport(launched.name, prompt!, values.json));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      refused.push(error.message);
      process.stderr.write(`${escapeControls(error.message)}\n`);
    }
  }
  if (values.json) {
    const rows = result.launched.map((l) => ({ ...withAttach(l), ...(tasks.has(l.name) ? { task: tasks.get(l.name) } : {}) }));
    process.stdout.write(`${safeJson(rows, 2)}\n`);
  }
  if (result.failed.length > 0) {
    const [first, ...rest] = result.failed;
    throw new UserError(`${first!.name}: ${first!.error.message}${rest.length ? ` (and ${rest.length} more failed)` : ""}`, first!.error.hint);
  }
  if (refused.length > 0) {
    throw new UserError(
      `${refused[0]}${refused.length > 1 ? ` (and ${refused.length - 1} more could not start)` : ""}`,
      "the containers are running; retry with: create-agent-devcontainer task <name> <prompt>",
    );
  }
}

function withAttach(launched: LaunchResult["launched"][number]) {
  return { ...launched, attach: { shell: `create-agent-devcontainer shell ${launched.name}`, code: `create-agent-devcontainer code ${launched.name}` } };
}

/** Egress mode and what was refused during `up` (hooks, installs), with where to look. */
async function egressLine(name: string): Promise<string> {
  const summary = await egressSummary(name);
  if (!summary) return "";
  const blocked = summary.blocked.length ? `blocked so far: ${summary.blocked.map(formatBlocked).join("; ")}` : "nothing blocked so far";
  return `  egress:   ${summary.mode}, ${blocked} (create-agent-devcontainer egress ${name})\n`;
}

async function summarise(result: LaunchResult): Promise<void> {
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
        (await egressLine(launched.name)),
    );
  }
}
