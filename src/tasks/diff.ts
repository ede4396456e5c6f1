/**
 * STAND-IN for the background-tasks branch (issue 13): a launched container's branch against its base,
 * read from the HOST repository (what `sync` imported), never from the container. Replaced at merge.
 */
import { gitResult } from "../workspace/git.js";
import type { Found } from "../launch/manage.js";
import { readTaskStatus } from "./status.js";

export interface BranchDiff {
  base: string;
  head: string;
  files: { path: string; added: number; removed: number; status: string }[];
  patch: string;
}

function git(found: Found, args: string[]): string | undefined {
  const repo = found.record?.localRepo;
  if (!repo) return undefined;
  const result = gitResult([`--git-dir=${repo}`, ...args]);
  return result.status === 0 ? result.stdout : undefined;
}

function baseAndHead(found: Found): { base: string; head: string } | undefined {
  const branch = found.record?.branch;
  if (!branch) return undefined;
  const head = git(found, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`])?.trim();
  if (!head) return undefined;
  const base = readTaskStatus(found.paths)?.baseCommit || git(found, ["merge-base", "HEAD", head])?.trim();
  return base ? { base, head } : undefined;
}

export function diffLaunch(found: Found, options: { stat?: boolean } = {}): BranchDiff {
  const ends = baseAndHead(found);
  if (!ends) return { base: "", head: "", files: [], patch: "" };
  const numstat = git(found, ["diff", "--no-color", "--no-renames", "--numstat", ends.base, ends.head]) ?? "";
  const names = git(found, ["diff", "--no-color", "--no-renames", "--name-status", ends.base, ends.head]) ?? "";
  const status = new Map(names.split("\n").filter(Boolean).map((line) => [line.slice(line.indexOf("\t") + 1), line.split("\t")[0]!]));
  const files = numstat
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [added = "", removed = "", path = ""] = line.split("\t");
      return { path, added: Number(added) || 0, removed: Number(removed) || 0, status: status.get(path) ?? "M" };
    });
  const patch = options.stat ? "" : git(found, ["diff", "--no-color", "--no-renames", "--no-ext-diff", ends.base, ends.head]) ?? "";
  return { ...ends, files, patch };
}

export function commitsAhead(found: Found): number | undefined {
  const ends = baseAndHead(found);
  if (!ends) return undefined;
  const count = git(found, ["rev-list", "--count", `${ends.base}..${ends.head}`]);
  return count === undefined ? undefined : Number(count.trim());
}
