/**
 * The CLI's subcommands by name, loaded only when used so the scaffolder stays fast. Each takes the
 * arguments after its name. `--help` lists every one (a unit test keeps it so).
 */
export const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  mcp: async () => (await import("./mcp-command.js")).runMcp,
  doctor: async () => (await import("./doctor-command.js")).runDoctor,
  launch: async () => (await import("./launch-command.js")).runLaunch,
  list: async () => (await import("./launch-manage.js")).runList,
  stop: async () => (await import("./launch-manage.js")).runStop,
  start: async () => (await import("./launch-manage.js")).runStart,
  rm: async () => (await import("./launch-manage.js")).runRm,
  sync: async () => (await import("./sync-command.js")).runSync,
  logs: async () => (await import("./launch-manage.js")).runLogs,
  shell: async () => (await import("./launch-attach.js")).runShell,
  code: async () => (await import("./launch-attach.js")).runCode,
  egress: async () => (await import("./egress-command.js")).runEgress,
  task: async () => (await import("./task-command.js")).runTask,
  wait: async () => (await import("./task-command.js")).runWait,
  diff: async () => (await import("./task-command.js")).runDiff,
};
