/**
 * Carried changes: the host's staged and unstaged edits (two binary patches) and its new, non-ignored
 * files (copied as they are), captured on the host by `launch` and applied here on top of the base commit.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, chmodSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { HookStepError } from "../hook-steps.js";
import { git } from "./git.js";
import { CARRY } from "./layout.js";

export function applyCarriedChanges(workspace: string, inputDir: string, log: (message: string) => void): void {
  const ws = { cwd: workspace };
  const staged = join(inputDir, CARRY.staged);
  const unstaged = join(inputDir, CARRY.unstaged);
  // Staged edits go to the index and the files, then unstaged ones to the files only: as on the host.
  if (nonEmpty(staged)) git(["apply", "--index", "--whitespace=nowarn", staged], ws);
  if (nonEmpty(unstaged)) git(["apply", "--whitespace=nowarn", unstaged], ws);
  const copied = copyTree(join(inputDir, CARRY.untracked), workspace, "");
  log(`carried the host's changes: ${[nonEmpty(staged) && "staged", nonEmpty(unstaged) && "unstaged"].filter(Boolean).join(" and ") || "no"} edits, ${copied} new file(s)`);
}

function nonEmpty(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

/** Copies new files (and symlinks) into the clone; a file already there means the branch moved on: stop. */
function copyTree(from: string, to: string, relative: string): number {
  const source = join(from, relative);
  if (!existsSync(source)) return 0;
  let count = 0;
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      count += copyTree(from, to, path);
      continue;
    }
    const target = join(to, path);
    if (existsSync(target) || isSymlink(target)) throw new HookStepError(`cannot carry ${path}: the branch already has a file there`);
    mkdirSync(dirname(target), { recursive: true });
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(join(from, path)), target);
    else {
      copyFileSync(join(from, path), target);
      chmodSync(target, statSync(join(from, path)).mode & 0o777);
    }
    count += 1;
  }
  return count;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
