/**
 * Captures the host checkout's uncommitted changes for `launch --carry-changes`, without touching the
 * repository (no stash, no objects, not even an index refresh): staged and unstaged edits as two binary patches, and new files
 * git does not ignore as plain copies. The workspace hook applies them in the container.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { git } from "../workspace/git.js";
import { CARRY } from "../workspace/layout.js";

export interface CarrySummary {
  staged: boolean;
  unstaged: boolean;
  untracked: number;
}

const DIFF = ["diff", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", "--ignore-submodules"];

export function captureChanges(worktree: string, inputDir: string): CarrySummary {
  // git diff refreshes (rewrites) the index it reads, even with GIT_OPTIONAL_LOCKS=0: give it a copy.
  const scratch = mkdtempSync(join(tmpdir(), "cad-index-"));
  try {
    const index = resolve(worktree, git(["rev-parse", "--git-path", "index"], { cwd: worktree }));
    if (existsSync(index)) copyFileSync(index, join(scratch, "index"));
    const options = { cwd: worktree, env: { GIT_INDEX_FILE: join(scratch, "index") } };
    mkdirSync(join(inputDir, CARRY.untracked), { recursive: true, mode: 0o755 });
    git([...DIFF, "--cached", `--output=${join(inputDir, CARRY.staged)}`], options);
    git([...DIFF, `--output=${join(inputDir, CARRY.unstaged)}`], options);
    const untracked = git(["ls-files", "-z", "--others", "--exclude-standard"], options)
      .split("\0")
      // A nested repository shows up as "dir/": it is not this repository's to carry.
      .filter((path) => path !== "" && !path.endsWith("/"));
    for (const path of untracked) copyEntry(join(worktree, path), join(inputDir, CARRY.untracked, path));
    return {
      staged: statSync(join(inputDir, CARRY.staged)).size > 0,
      unstaged: statSync(join(inputDir, CARRY.unstaged)).size > 0,
      untracked: untracked.length,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Copies a file or symlink; files stay readable by the container's user, executables stay executable. */
function copyEntry(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o755 });
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) return symlinkSync(readlinkSync(from), to);
  copyFileSync(from, to);
  chmodSync(to, (stat.mode & 0o755) | 0o644);
}
