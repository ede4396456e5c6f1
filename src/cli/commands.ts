/**
 * The CLI's subcommands by name: what the main --help says of each, and the module that runs it, loaded
 * only when used so the scaffolder stays fast. Each takes the arguments after its name; its own flags and
 * --help come from its definition (src/cli/args.ts). A unit test checks --help lists every one.
 */
import { helpLine } from "./args.js";
interface Command {
  /** Its arguments, as --help shows them after the name. */
  args: string;
  summary: string;
  load(): Promise<(argv: string[]) => Promise<void>>;
}

export const COMMANDS: Record<string, Command> = {
  launch: {
    args: "<path|git-url>",
    summary:
      "start a background container per --agent with its own clone and branch <agent>/<--branch>, writing nothing into the repository (launch --help)",
    load: async () => (await import("./launch-command.js")).runLaunch,
  },
  list: {
    args: "",
    summary: "agent containers: launched ones with agent, repo, branch, state, age, and their task: state (running|done|failed|needs-login), elapsed, commits ahead; scaffolded ones with their folder",
    load: async () => (await import("./launch-manage.js")).runList,
  },
  task: {
    args: '<name> "<prompt>"',
    summary: "run the agent headless on a further task in the container, on its branch (--task-file <path>); its work is committed, pushed and imported",
    load: async () => (await import("./task-command.js")).runTask,
  },
  wait: { args: "<name…>", summary: "block until their tasks end; exit 1 if any did not end done", load: async () => (await import("./task-command.js")).runWait },
  diff: {
    args: "<name>",
    summary: "its imported branch against the commit it started from (--stat, --json)",
    load: async () => (await import("./task-command.js")).runDiff,
  },
  stop: {
    args: "<name>",
    summary: "stop a launched container, after importing its pushed work",
    load: async () => (await import("./launch-manage.js")).runStop,
  },
  start: { args: "<name>", summary: "start a stopped launched container", load: async () => (await import("./launch-manage.js")).runStart },
  sync: {
    args: "[name…]",
    summary:
      "import containers' pushed branches into the host repository (the current folder's containers; --all; --force takes a rewritten branch)",
    load: async () => (await import("./sync-command.js")).runSync,
  },
  rm: {
    args: "<name>",
    summary: "import, then remove its container, enforcer, network, volumes, state and unused image; launched or scaffolded (asks if work is unpushed; --force)",
    load: async () => (await import("./launch-manage.js")).runRm,
  },
  prune: {
    args: "",
    summary: "remove what containers left without rm (docker rm -f): enforcers, networks, volumes, launch state, unused images; outboxes imported first (--dry-run, --keep-images)",
    load: async () => (await import("./prune-command.js")).runPrune,
  },
  shell: {
    args: "<name> [-- cmd]",
    summary: "a shell (or one command) as the agent user in the workspace",
    load: async () => (await import("./launch-attach.js")).runShell,
  },
  code: { args: "<name>", summary: "open VS Code attached to the container", load: async () => (await import("./launch-attach.js")).runCode },
  logs: {
    args: "<name>",
    summary:
      "the launch's full devcontainer log, the container's output and the tasks' transcript (--follow: the transcript while a task runs; list, stop, start, rm and logs take --json)",
    load: async () => (await import("./launch-manage.js")).runLogs,
  },
  mcp: {
    args: "check|render",
    summary: "validate the MCP source, or print the config an agent gets from it (mcp --help)",
    load: async () => (await import("./mcp-command.js")).runMcp,
  },
  doctor: {
    args: "[dir]",
    summary:
      "what this host lacks for the agents' containers: Docker, the devcontainer CLI, each agent's login in its auth mode, with the command that fixes it (doctor --help)",
    load: async () => (await import("./doctor-command.js")).runDoctor,
  },
  egress: {
    args: "<name>",
    summary: "a container's allowed and blocked connections (--json, --follow); egress allow <name> <host[:port]> lets that running container reach a host (no restart)",
    load: async () => (await import("./egress-command.js")).runEgress,
  },
  ui: {
    args: "",
    summary: "a local review dashboard of every launched container: task, transcript, diff, egress and the same actions (ui --help)",
    load: async () => (await import("./ui-command.js")).runUi,
  },
};

/** The main --help's list of commands. */
export function commandList(): string {
  return Object.entries(COMMANDS)
    .map(([name, command]) => helpLine(`  ${name}${command.args ? ` ${command.args}` : ""}`, command.summary))
    .join("\n");
}
