/**
 * STAND-IN for the background-tasks branch (issue 13): the same signatures, reading what a task writes
 * into a launched container's state folder. The `tasks` branch's version replaces this file at merge.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StatePaths } from "../launch/state.js";

export type TaskState = "running" | "done" | "failed" | "needs-login";

export interface TaskStatus {
  id: number;
  state: TaskState;
  prompt: string;
  startedAt: string;
  endedAt?: string;
  reason?: string;
  baseCommit: string;
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
    return undefined; // mid-write by an older writer: the next read sees it
  }
}
