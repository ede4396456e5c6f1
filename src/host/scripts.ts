/**
 * Host-side steps (initializeCommand): POSIX sh files kept as real `.sh` files in src/host/ (ShellCheck-ed as
 * they are), embedded at generate time into src/generated/host-scripts.ts, and rendered into
 * `.devcontainer/host/` beside the configs that run them. A config names a step as an argv array, so the
 * arguments never meet a shell parser, and the script text never meets devcontainer.json's `${…}` substitution.
 */
import { HOST_SCRIPTS, type HostScriptName } from "../generated/host-scripts.js";
import type { LifecycleCommand } from "../model/devcontainer.js";
import type { Tree } from "../core/tree.js";

export type { HostScriptName };

/** Relative to the workspace folder, which is initializeCommand's working folder (the repo, or launch's state folder). */
export const HOST_SCRIPT_DIR = ".devcontainer/host";

/**
 * A scaffolded config's per-container folder on the host, for what its host steps prepare (the sanitised git
 * config's view of the git dir, the MCP secrets it may see). One path reaches both the step and the mount, so they cannot disagree.
 * (`launch` uses its own state folder.)
 */
export const SCAFFOLD_HOST_DIR = "${localEnv:HOME}/.local/state/create-agent-devcontainer/containers/${devcontainerId}";

export function hostScriptPath(name: HostScriptName): string {
  return `${HOST_SCRIPT_DIR}/${name}.sh`;
}

/** The initializeCommand entry that runs one host step. */
export function hostCommand(name: HostScriptName, ...args: string[]): string[] {
  return ["/bin/sh", hostScriptPath(name), ...args];
}

/** The scripts the given initializeCommands run, as files to write beside them. */
export function hostScriptTree(commands: readonly (LifecycleCommand | undefined)[]): Tree {
  const used = new Set<HostScriptName>();
  for (const command of commands) {
    const entries = command === undefined ? [] : typeof command === "string" || Array.isArray(command) ? [command] : Object.values(command);
    for (const entry of entries) {
      const name = Array.isArray(entry) ? scriptName(entry[1]) : undefined;
      if (name) used.add(name);
    }
  }
  return new Map([...used].sort().map((name) => [hostScriptPath(name), { content: HOST_SCRIPTS[name], mode: 0o755 }]));
}

function scriptName(path: string | undefined): HostScriptName | undefined {
  const match = path?.match(/^\.devcontainer\/host\/([a-z-]+)\.sh$/);
  return match && match[1]! in HOST_SCRIPTS ? (match[1] as HostScriptName) : undefined;
}
