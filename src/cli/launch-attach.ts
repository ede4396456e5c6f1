/**
 * `shell <name> [-- command…]` (a shell, or one command, as the agent user in the workspace, through
 * `devcontainer exec` so the config's remoteEnv applies) and `code <name>` (VS Code attached to it).
 */
import { safeJson } from "../terminal.js";
import { spawn } from "node:child_process";
import { attachedContainerUri } from "../launch/attach.js";
import { exec } from "../launch/devcontainer-cli.js";
import { findLaunch, targetOf } from "../launch/manage.js";
import { stateRoot } from "../launch/state.js";
import { findOnPath } from "../core/on-path.js";
import { WORKSPACE_DIR } from "../workspace/layout.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";
import { UserError } from "../errors.js";

export const SHELL = defineCommand({
  usage: "shell <name> [--json] [-- command…]",
  description: "A shell, or one command, as the agent user in the workspace of a launched container.",
  flags: { json: { ...JSON_FLAG, help: "run the command and print its exit code, stdout and stderr as JSON" }, help: HELP_FLAG },
});

export const CODE = defineCommand({
  usage: "code <name> [--json]",
  description: "Opens VS Code attached to a launched container, in its workspace.",
  flags: { json: JSON_FLAG, help: HELP_FLAG },
});

function find(name: string | undefined, command: string) {
  if (name === undefined) throw new UserError(`${command} takes a container name`, "see: create-agent-devcontainer list");
  return findLaunch(stateRoot(), name);
}

export async function runShell(argv: string[]): Promise<void> {
  const split = argv.indexOf("--");
  const args = parseOrHelp(SHELL, split === -1 ? argv : argv.slice(0, split));
  if (!args) return;
  const { values, positionals } = args;
  const command = split === -1 ? [] : argv.slice(split + 1);
  if (positionals.length > 1) throw new UserError("shell takes one name; put the command after --", "e.g. shell claude-repo -- git status");
  const found = find(positionals[0], "shell");
  const target = targetOf(found);
  if (!target || !found.container) throw new UserError(`${found.name} cannot be entered: its container or config is gone`, `remove it with: create-agent-devcontainer rm ${found.name}`);
  if (!found.container.running) throw new UserError(`${found.name} is stopped`, `start it with: create-agent-devcontainer start ${found.name}`);
  if (values.json && command.length === 0) throw new UserError("shell --json needs a command after --", "e.g. shell --json claude-repo -- git status");
  const result = await exec(target, command.length > 0 ? command : ["bash", "-l"], values.json);
  if (values.json) process.stdout.write(`${safeJson({ name: found.name, exitCode: result.code, stdout: result.stdout, stderr: result.stderr }, 2)}\n`);
  process.exitCode = result.code;
}

export async function runCode(argv: string[]): Promise<void> {
  const args = parseOrHelp(CODE, argv);
  if (!args) return;
  const { values, positionals } = args;
  const found = find(positionals[0], "code");
  if (!found.container?.running) throw new UserError(`${found.name} is not running`, `start it with: create-agent-devcontainer start ${found.name}`);
  const uri = attachedContainerUri(found.name, WORKSPACE_DIR);
  const code = findOnPath("code");
  if (code) spawn(code, ["--folder-uri", uri], { detached: true, stdio: "ignore" }).unref();
  if (values.json) return void process.stdout.write(`${safeJson({ name: found.name, uri, command: ["code", "--folder-uri", uri], opened: Boolean(code) }, 2)}\n`);
  process.stderr.write(
    code
      ? `opening ${found.name} in VS Code\n`
      : `VS Code's \`code\` command is not on PATH; open the container with:\n  code --folder-uri ${uri}\nor in VS Code: "Dev Containers: Attach to Running Container…" → ${found.name}\n`,
  );
}
