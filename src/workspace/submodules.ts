/**
 * Submodules come from the host's own copies (`<git dir>/modules/<name>`), so provisioning stays offline
 * and costs what git tracks; afterwards each points at its real upstream URL again. A submodule the host
 * never initialised is left for the user to fetch (it would need the network and maybe credentials).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { git, gitConfigGet, gitResult } from "./git.js";

const MAX_DEPTH = 8;

export function updateSubmodules(workspace: string, hostGitDir: string, log: (message: string) => void, depth = 0): void {
  if (depth > MAX_DEPTH || !existsSync(join(workspace, ".gitmodules"))) return;
  const ws = { cwd: workspace };
  git(["submodule", "init", "--quiet"], ws);
  for (const { name, path } of listSubmodules(workspace)) {
    const hostCopy = join(hostGitDir, "modules", name);
    const upstream = gitConfigGet(`submodule.${name}.url`, ws);
    if (!isGitDir(hostCopy) || upstream === undefined) {
      log(`submodule ${path} is not initialised on the host; run: git submodule update --init -- ${path}`);
      continue;
    }
    git(["config", `submodule.${name}.url`, hostCopy], ws);
    try {
      git(["-c", "protocol.file.allow=always", "submodule", "update", "--quiet", "--", path], ws);
    } finally {
      git(["config", `submodule.${name}.url`, upstream], ws);
    }
    const checkout = join(workspace, path);
    git(["remote", "set-url", "origin", upstream], { cwd: checkout });
    updateSubmodules(checkout, hostCopy, log, depth + 1);
  }
}

function listSubmodules(workspace: string): { name: string; path: string }[] {
  const result = gitResult(["config", "--file", ".gitmodules", "--null", "--get-regexp", "^submodule\\..*\\.path$"], { cwd: workspace });
  if (result.status !== 0) return [];
  return result.stdout
    .split("\0")
    .filter(Boolean)
    .map((entry) => {
      const [key = "", path = ""] = entry.split("\n");
      return { name: key.slice("submodule.".length, -".path".length), path };
    });
}

function isGitDir(path: string): boolean {
  return existsSync(path) && gitResult([`--git-dir=${path}`, "rev-parse", "--git-dir"]).status === 0;
}
