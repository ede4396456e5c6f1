/**
 * The one writer: puts a rendered tree on disk. Deterministic bytes, unchanged files untouched, every file
 * staged before any is renamed into place (nothing half-written), and files the user edited are refused
 * without `force`. A file marked `once` is the user's as soon as it exists: it is kept as it is, even with `force`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Tree } from "../core/tree.js";
import { UserError } from "../errors.js";
import { AtomicWriteError, writeFilesAtomic } from "./atomic.js";
import { MANIFEST_PATH, readManifest, renderManifest, sha256 } from "./manifest.js";

export type WriteAction = "create" | "update" | "unchanged" | "overwrite" | "keep";

export interface PlannedFile {
  path: string;
  action: WriteAction;
  bytes: number;
}

export interface Conflict {
  path: string;
  reason: string;
}

export class EditConflictError extends UserError {
  constructor(readonly conflicts: Conflict[]) {
    super(
      `refusing to overwrite ${conflicts.length === 1 ? "a file" : `${conflicts.length} files`} you changed:\n` +
        conflicts.map((c) => `  ${c.path}: ${c.reason}`).join("\n") +
        "\nKeep your edits (nothing was written), or re-run with --force to replace them.",
    );
  }
}

export class WriteError extends UserError {
  constructor(message: string) {
    super(message, "choose a folder you can write to");
  }
}

export interface WriteOptions {
  force?: boolean;
  dryRun?: boolean;
}

/** Decides, without writing, what happens to each file. Throws EditConflictError unless `force`. */
export function planWrite(root: string, tree: Tree, options: WriteOptions = {}): PlannedFile[] {
  const manifest = readManifest(root);
  const plan: PlannedFile[] = [];
  const conflicts: Conflict[] = [];
  for (const [path, file] of tree) {
    const absolute = join(root, path);
    const bytes = Buffer.byteLength(file.content);
    if (!existsSync(absolute)) {
      plan.push({ path, action: "create", bytes });
      continue;
    }
    if (file.once) {
      plan.push({ path, action: "keep", bytes });
      continue;
    }
    if (!statSync(absolute).isFile()) {
      conflicts.push({ path, reason: "exists and is not a regular file" });
      continue;
    }
    const current = readFileSync(absolute, "utf8");
    const sameMode = (statSync(absolute).mode & 0o777) === (file.mode ?? 0o644);
    if (current === file.content && sameMode) {
      plan.push({ path, action: "unchanged", bytes });
      continue;
    }
    const recorded = manifest.files[path];
    if (recorded === sha256(current)) {
      plan.push({ path, action: "update", bytes });
      continue;
    }
    const reason = recorded
      ? "edited since create-agent-devcontainer wrote it"
      : "already exists and was not written by create-agent-devcontainer";
    if (options.force) plan.push({ path, action: "overwrite", bytes });
    else conflicts.push({ path, reason });
  }
  if (conflicts.length > 0) throw new EditConflictError(conflicts);
  return plan;
}

/** Writes the tree under `root` and records it in the manifest. Returns what happened to each file. */
export function writeTree(root: string, tree: Tree, options: WriteOptions = {}): PlannedFile[] {
  const plan = planWrite(root, tree, options);
  if (options.dryRun) return plan;
  const changes = plan.filter((file) => file.action !== "unchanged" && file.action !== "keep");
  const manifest = readManifest(root);
  for (const [path, file] of tree) if (!file.once) manifest.files[path] = sha256(file.content);
  const writes = changes.map((c) => ({ path: join(root, c.path), content: tree.get(c.path)!.content, mode: tree.get(c.path)!.mode ?? 0o644 }));
  const record = renderManifest(manifest);
  const recordPath = join(root, MANIFEST_PATH);
  if (!existsSync(recordPath) || readFileSync(recordPath, "utf8") !== record) writes.push({ path: recordPath, content: record, mode: 0o644 });
  try {
    writeFilesAtomic(writes);
  } catch (error) {
    if (!(error instanceof AtomicWriteError)) throw error;
    // Renames within one folder tree rarely fail once every temp file is staged; if one does, name it.
    throw new WriteError(`${error.phase === "stage" ? `cannot write to ${root}` : `cannot write ${error.path}`}: ${describe(error)}`);
  }
  return plan;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOSPC") return "no space left on device";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOTDIR") return "a path component is a file, not a folder";
  return (error as Error).message;
}
