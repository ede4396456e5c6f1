/**
 * The files a branch changes, read by the host's git from the host repository (never from the container):
 * its tip against the commit it started from, or, when no one recorded that (a scaffolded config's
 * container), against where it meets the host's checkout. Only the host-run ones are kept (host-run.ts).
 */
import { gitResult } from "../workspace/git.js";
import { LaunchError } from "./errors.js";
import { hostRunPaths } from "./host-run.js";

/** The host-run files `tip` changes since `base` (else since its merge base with HEAD, else since nothing). */
export function hostRunChanges(repo: string, tip: string, base?: string): string[] {
  const from = base ?? mergeBase(repo, tip) ?? emptyTree(repo);
  const result = gitResult(["diff", "--no-renames", "--no-ext-diff", "--name-only", "-z", from, tip, "--"], { cwd: repo });
  if (result.status !== 0) throw new LaunchError(`cannot list the files ${tip.slice(0, 12)} changes in ${repo}: ${result.stderr.trim().split("\n").pop() ?? ""}`);
  return hostRunPaths(result.stdout.split("\0").filter(Boolean));
}

function mergeBase(repo: string, tip: string): string | undefined {
  const result = gitResult(["merge-base", "HEAD", tip], { cwd: repo });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The empty tree in this repository's hash (SHA-1 or SHA-256). */
function emptyTree(repo: string): string {
  return gitResult(["hash-object", "-t", "tree", "--stdin"], { cwd: repo }).stdout.trim();
}
