/**
 * The one stage-then-rename helper. Every file is written to a temp file beside its target (same
 * filesystem, so the rename is atomic), all are staged before any is placed: a failure while staging
 * leaves every target as it was, and a reader sees the old bytes or the new ones, never a torn file.
 */
import { chmodSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

export interface FileToWrite {
  path: string;
  content: string | Buffer;
  /** Default 0644; set on the file itself, whatever the umask. */
  mode?: number;
}

export interface AtomicWriteOptions {
  /** Mode of the folders created on the way (default: the umask's). */
  dirMode?: number;
  /** Leave a target that already exists as it is (placed by link, which refuses to replace). */
  keepExisting?: boolean;
}

/** A failure to stage or to place one file; `code` is the system error's (EACCES, ENOSPC, …). */
export class AtomicWriteError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly phase: "stage" | "place",
    readonly path: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.code = (cause as NodeJS.ErrnoException).code;
  }
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Writes every file atomically, staging all before placing any. Returns the paths it placed. */
export function writeFilesAtomic(files: readonly FileToWrite[], options: AtomicWriteOptions = {}): string[] {
  const staged: { temp: string; target: string }[] = [];
  for (const { path, content, mode = 0o644 } of files) {
    try {
      mkdirSync(dirname(path), { recursive: true, ...(options.dirMode !== undefined ? { mode: options.dirMode } : {}) });
      const temp = tempPathFor(path);
      // "wx": never write through something already at the temp path (a symlink planted there).
      writeFileSync(temp, content, { mode, flag: "wx" });
      staged.push({ temp, target: path });
      chmodSync(temp, mode); // the umask may have masked bits off
    } catch (error) {
      for (const { temp } of staged) rmSync(temp, { force: true });
      throw new AtomicWriteError("stage", path, error);
    }
  }
  const placed: string[] = [];
  for (const [index, { temp, target }] of staged.entries()) {
    try {
      if (options.keepExisting) placeIfAbsent(temp, target, placed);
      else {
        renameSync(temp, target);
        placed.push(target);
      }
    } catch (error) {
      for (const { temp: left } of staged.slice(index)) rmSync(left, { force: true });
      throw new AtomicWriteError("place", target, error);
    }
  }
  return placed;
}

function placeIfAbsent(temp: string, target: string, placed: string[]): void {
  try {
    linkSync(temp, target);
    placed.push(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** One file, atomically; `path`'s folders are created as needed. */
export function writeFileAtomic(path: string, content: string | Buffer, mode = 0o644): void {
  writeFilesAtomic([{ path, content, mode }]);
}
