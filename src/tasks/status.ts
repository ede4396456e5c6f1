/**
 * A launched container's background task, as files in its state folder: task.json (the latest task, written
 * atomically by whoever owns it: `startTask`, then the task's supervisor) and task.log (every task's
 * transcript, appended). The dashboard and the CLI read the same files.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StatePaths } from "../launch/state.js";
import { writeFileAtomic } from "../write/atomic.js";

export type TaskState = "running" | "done" | "failed" | "needs-login";

export interface TaskStatus {
  /** 1 for the launch's task, then 2, 3… for follow-ups (`task <name> "<prompt>"`). */
  id: number;
  state: TaskState;
  prompt: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt?: string;
  /** One line, for failed / needs-login. */
  reason?: string;
  /** The commit the branch started from: `diff` is against it. */
  baseCommit: string;
}

/** What task.json holds beyond the status: the supervisor's process, so a dead one is not reported as running. */
export interface TaskRecord extends TaskStatus {
  supervisor?: number;
}

export function taskFiles(paths: StatePaths): { status: string; transcript: string } {
  return { status: join(paths.dir, "task.json"), transcript: join(paths.dir, "task.log") };
}

export function readTaskRecord(paths: StatePaths): TaskRecord | undefined {
  const file = taskFiles(paths).status;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as TaskRecord;
  } catch {
    return undefined; // removed or replaced meanwhile: as if there were none
  }
}

export function readTaskStatus(paths: StatePaths): TaskStatus | undefined {
  const record = readTaskRecord(paths);
  if (!record) return undefined;
  const { supervisor, ...status } = record;
  if (status.state === "running" && supervisor !== undefined && !alive(supervisor)) {
    return { ...status, state: "failed", reason: "its supervisor stopped before the task ended (was the host restarted?)" };
  }
  return status;
}

export function writeTaskRecord(paths: StatePaths, record: TaskRecord): void {
  writeFileAtomic(taskFiles(paths).status, `${JSON.stringify(record, null, 2)}\n`, 0o600);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** "42s", "3m05s", "1h02m": how long a task ran (or has been running). */
export function elapsed(status: TaskStatus, now: Date): string {
  const end = status.endedAt ? Date.parse(status.endedAt) : now.getTime();
  const seconds = Math.max(0, Math.round((end - Date.parse(status.startedAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
