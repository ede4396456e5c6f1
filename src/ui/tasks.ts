/**
 * The dashboard's one seam to background tasks (issue 13, branch `tasks`): everything it needs of a task —
 * its status, its transcript file, the branch diff, commits ahead, starting a follow-up — with the names
 * and shapes of src/tasks/status.ts, src/tasks/diff.ts and src/tasks/start.ts on that branch.
 *
 * Until that branch is merged, these are stand-ins: status and transcript are read from the same files a
 * task writes (task.json, task.log in the state folder), the diff from the host repository against the
 * launch's base commit, and starting a task is refused in one line. When `tasks` lands, this file's body
 * becomes four lines — re-export readTaskStatus, taskFiles, TaskState and TaskStatus from ../tasks/status;
 * commitsAhead, diffLaunch and BranchDiff from ../tasks/diff; startTask from ../tasks/start; and set
 * TASKS_BUILT to true — and nothing else in src/ui changes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LaunchError } from "../launch/errors.js";
import type { Found, StatePaths } from "../launch/state.js";
import { gitResult } from "../workspace/git.js";
import { parseLaunchInput } from "../workspace/launch-input.js";
import { LAUNCH_INPUT_FILE } from "../workspace/layout.js";

/** Whether this build runs tasks (`launch --task`, follow-ups): the launch form's prompt depends on it. */
export const TASKS_BUILT: boolean = false;

export type TaskState = "running" | "done" | "failed" | "needs-login";

export interface TaskStatus {
  /** 1 for the launch's task, then 2, 3… for follow-ups. */
  id: number;
  state: TaskState;
  prompt: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt?: string;
  /** One line, for failed / needs-login. */
  reason?: string;
  /** The commit the branch started from: the diff is against it. */
  baseCommit: string;
}

export interface BranchDiff {
  base: string;
  head: string;
  files: { path: string; added: number; removed: number; status: string }[];
  patch: string;
}

export function taskFiles(paths: StatePaths): { status: string; transcript: string } {
  return { status: join(paths.dir, "task.json"), transcript: join(paths.dir, "task.log") };
}

export function readTaskStatus(paths: StatePaths): TaskStatus | undefined {
  const file = taskFiles(paths).status;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as TaskStatus;
  } catch {
    return undefined; // removed or replaced meanwhile: as if there were none
  }
}

export async function startTask(found: Found, prompt: string): Promise<TaskStatus> {
  throw new LaunchError(`cannot start a task in ${found.name} (${prompt.length} characters of prompt): background tasks are not in this build`);
}

/** The commit the branch started from: the task's record, else the launch's input. */
function baseCommitOf(found: Found): string {
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
      return { path, added: Number(added) || 0, removed: Number(removed) || 0, status: statusOf.get(path) ?? "M" };
    });
  const patch = options.stat ? "" : git(repo, ["diff", "--no-renames", "--no-ext-diff", "--no-color", ...range]);
  return { base, head, files, patch };
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
