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
    summary: "launched containers: agent, repo, branch, state, age",
    load: async () => (await import("./launch-manage.js")).runList,
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
    summary: "import, then remove its container and volumes (asks if work is unpushed; --force)",
    load: async () => (await import("./launch-manage.js")).runRm,
  },
  shell: {
    args: "<name> [-- cmd]",
    summary: "a shell (or one command) as the agent user in the workspace",
    load: async () => (await import("./launch-attach.js")).runShell,
  },
  code: { args: "<name>", summary: "open VS Code attached to the container", load: async () => (await import("./launch-attach.js")).runCode },
  logs: {
    args: "<name>",
    summary: "the launch's full devcontainer log and the container's output (list, stop, start, rm and logs take --json)",
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
};

/** The main --help's list of commands. */
export function commandList(): string {
  return Object.entries(COMMANDS)
    .map(([name, command]) => helpLine(`  ${name}${command.args ? ` ${command.args}` : ""}`, command.summary))
    .join("\n");
}
