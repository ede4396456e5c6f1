/**
 * Which repository's `.devcontainer/egress.toml` a container's blocked hosts are saved into (`egress
 * suggest`, `egress allow --save`): for a launched container, the checkout it was launched from; for a
 * scaffolded config's container, the folder it was brought up from (its local-folder label). A git-URL
 * launch has no checkout on this host: the user names one with --repo.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { docker } from "../engine/docker.js";
import { LABELS } from "../labels.js";
import { readRecord, stateRoot, statePaths } from "./state.js";
import { EGRESS_LABEL } from "../egress/layout.js";
import { EgressError, type EgressTarget } from "../egress/inspect.js";
import { addToPolicy, unifiedDiff } from "../egress/policy-edit.js";
import { POLICY_FILE } from "../egress/policy-file.js";
import { writeFileAtomic } from "../write/atomic.js";

async function dockerOut(args: readonly string[]): Promise<string> {
  const result = await docker(args, 60_000);
  return result.status === 0 ? result.stdout.trim() : "";
}

/** The repository folder whose policy file holds this container's allowlist. */
export async function policyRepo(target: EgressTarget, repo?: string): Promise<string> {
  if (repo !== undefined) return repo;
  const container = target.container ?? (await dockerOut(["ps", "-a", "--filter", `label=${EGRESS_LABEL}=${target.id}`, "--format", "{{.Names}}"])).split("\n")[0];
  const [launchName = "", localFolder = ""] = container
    ? (await dockerOut(["container", "inspect", "--format", `{{index .Config.Labels "${LABELS.launch}"}}|{{index .Config.Labels "${LABELS.localFolder}"}}`, container])).split("|")
    : [];
  if (launchName) {
    const record = readRecord(statePaths(stateRoot(), launchName));
    if (record && !record.localDisposable) {
      const top = spawnSync("git", ["-C", record.source, "rev-parse", "--show-toplevel"], { encoding: "utf8" });
      if (top.status === 0) return top.stdout.trim();
    }
  } else if (localFolder) return localFolder;
  throw new EgressError(`cannot tell which repository ${target.container ?? target.id} was launched from`, "name it with --repo <folder of your checkout>");
}

export interface PolicyChange {
  /** The policy file's path. */
  file: string;
  /** Relative to the repository, as the diff names it. */
  path: string;
  before: string | undefined;
  after: string;
  diff: string;
}

/** The repository's policy file with `entries` added (nothing is written). */
export function planPolicyChange(repo: string, entries: readonly string[]): PolicyChange {
  const file = join(repo, POLICY_FILE);
  const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  let after: string;
  try {
    after = addToPolicy(before, entries);
  } catch (error) {
    throw new EgressError(`${file}: ${(error as Error).message}`, "fix the file, then run this again");
  }
  return { file, path: POLICY_FILE, before, after, diff: unifiedDiff(POLICY_FILE, before, after) };
}

/** Writes the change (atomically; the file keeps its mode), unless there is none. */
export function applyPolicyChange(change: PolicyChange): void {
  if (change.before === change.after) return;
  writeFileAtomic(change.file, change.after, existsSync(change.file) ? statSync(change.file).mode & 0o777 : 0o644);
}
