/**
 * A task's work as a diff: read from the HOST repository (the branch `sync` imported), never from the
 * container, against the commit the branch started from.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hostRunChanges } from "../launch/branch-changes.js";
import { LaunchError } from "../launch/errors.js";
import { hostRunPaths } from "../launch/host-run.js";
import type { Found } from "../launch/state.js";
import { gitResult } from "../workspace/git.js";
import { LAUNCH_INPUT_FILE } from "../workspace/layout.js";
import { parseLaunchInput } from "../workspace/launch-input.js";
import { readTaskStatus } from "./status.js";

export interface BranchDiff {
  base: string;
  head: string;
  /** Paths as they are (a script reads the exact name); a person sees them through quotePath. */
  files: { path: string; added: number; removed: number; status: string }[];
  /** The files among them that run on the host (host-run.ts). */
  hostRun: string[];
  /** Its file names quoted by git (core.quotePath on), its content as the branch has it. */
  patch: string;
}

/** The commit the branch started from: the task's record, else the launch's input. */
export function baseCommitOf(found: Found): string {
  const recorded = readTaskStatus(found.paths)?.baseCommit;
  if (recorded) return recorded;
  try {
    return parseLaunchInput(readFileSync(join(found.paths.input, LAUNCH_INPUT_FILE), "utf8")).base;
  } catch {
    throw new LaunchError(`${found.name} has no record of the commit its branch started from`, "was it launched by an older version?");
  }
}

function hostRepo(found: Found): { repo: string; ref: string } {
  if (!found.record) throw new LaunchError(`${found.name} has no launch record`, `remove what is left with: create-agent-devcontainer rm ${found.name}`);
  return { repo: found.record.localRepo, ref: `refs/heads/${found.record.branch}` };
}

function tip(repo: string, ref: string): string | undefined {
  const result = gitResult(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repo });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function git(repo: string, args: string[]): string {
  const result = gitResult(args, { cwd: repo });
  if (result.status !== 0) throw new LaunchError(`git ${args[0]} in ${repo} failed: ${result.stderr.trim().split("\n").pop() ?? ""}`);
  return result.stdout;
}

/** The imported branch against its base (an empty diff before anything was imported). */
export function diffLaunch(found: Found, options: { stat?: boolean } = {}): BranchDiff {
  const { repo, ref } = hostRepo(found);
  const base = baseCommitOf(found);
  const head = tip(repo, ref) ?? base;
  const range = [base, head, "--"];
  const numstat = git(repo, ["diff", "--no-renames", "--no-ext-diff", "-z", "--numstat", ...range]).split("\0");
  const statuses = git(repo, ["diff", "--no-renames", "--no-ext-diff", "-z", "--name-status", ...range]).split("\0");
  const statusOf = new Map<string, string>();
  for (let i = 0; i + 1 < statuses.length; i += 2) statusOf.set(statuses[i + 1]!, statuses[i]!);
  const files = numstat
    .filter(Boolean)
    .map((line) => {
      const [added = "", removed = "", path = ""] = line.split("\t");
      // Binary files count "-": no lines.
      return { path, added: Number(added) || 0, removed: Number(removed) || 0, status: statusOf.get(path) ?? "M" };
    });
  // quotePath on whatever the user's config says: names in the patch are then quoted as quotePath() quotes them.
  const patch = options.stat ? "" : git(repo, ["-c", "core.quotePath=true", "diff", "--no-renames", "--no-ext-diff", "--no-color", ...range]);
  return { base, head, files, hostRun: hostRunPaths(files.map((file) => file.path)), patch };
}

/** The files the imported branch changes that run on the host; undefined while nothing was imported. */
export function hostRunOf(found: Found): string[] | undefined {
  const { repo, ref } = hostRepo(found);
  const head = tip(repo, ref);
  if (head === undefined) return undefined;
  try {
    return hostRunChanges(repo, head, baseCommitOf(found));
  } catch (error) {
    if (error instanceof LaunchError) return undefined;
    throw error;
  }
}

/** Commits on the imported branch that its base lacks; undefined while nothing was imported. */
export function commitsAhead(found: Found): number | undefined {
  const { repo, ref } = hostRepo(found);
  const head = tip(repo, ref);
  if (head === undefined) return undefined;
  let base: string;
  try {
    base = baseCommitOf(found);
  } catch {
    return undefined;
  }
  const count = gitResult(["rev-list", "--count", `${base}..${head}`], { cwd: repo });
  return count.status === 0 ? Number(count.stdout.trim()) : undefined;
}
