/**
 * What would be lost if the workspace were deleted: uncommitted files, and commits no remote keeps.
 * `rm` asks for this (through the hook) before it removes a container and its volume.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { git } from "./git.js";

export interface WorkspaceStatus {
  /** False when the workspace was never provisioned (nothing to lose). */
  provisioned: boolean;
  branch: string;
  /** Changed, staged or new (non-ignored) files. */
  uncommitted: number;
  /** Commits on local branches that only this workspace has. */
  unpushed: number;
}

/**
 * @param disposableLocal `local` is a throwaway clone deleted with the workspace (git URL launches), so only
 *   `origin` keeps work: what the agent pushed to `local` counts as unpushed.
 */
export function workspaceStatus(workspace: string, agentId: string, disposableLocal: boolean): WorkspaceStatus {
  if (!existsSync(join(workspace, ".git"))) return { provisioned: false, branch: "", uncommitted: 0, unpushed: 0 };
  const ws = { cwd: workspace };
  const branch = git(["rev-parse", "--abbrev-ref", "HEAD"], ws);
  const uncommitted = countEntries(git(["status", "--porcelain=v1", "-z", "--untracked-files=all"], ws));
  const work = ["--branches", ...(disposableLocal ? [`--glob=refs/remotes/local/${agentId}/*`] : [])];
  const safe = disposableLocal ? ["--remotes=origin"] : ["--remotes"];
  const unpushed = Number(git(["rev-list", "--count", ...work, "--not", ...safe], ws));
  return { provisioned: true, branch, uncommitted, unpushed };
}

/** Entries of `git status --porcelain -z`; a rename or copy is followed by its source path, not counted. */
function countEntries(porcelain: string): number {
  const fields = porcelain.split("\0").filter((field) => field !== "");
  let count = 0;
  for (let i = 0; i < fields.length; i += 1) {
    count += 1;
    if (/^[RC]/.test(fields[i] ?? "")) i += 1;
  }
  return count;
}
