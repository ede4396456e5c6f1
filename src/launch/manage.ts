/** The companion commands' library for launched containers: find one by name, import its work (lifecycle/ does the rest). */
import { existsSync } from "node:fs";
import { LABELS } from "../labels.js";
import type { Target } from "./devcontainer-cli.js";
import { launchedContainers, startContainer, stopContainer } from "./docker.js";
import { LaunchError } from "./errors.js";
import { isContainerName } from "./names.js";
import { readRecord, statePaths, type Found } from "./state.js";
import { syncOutbox, type SyncOutcome } from "./sync.js";
import { escapeLine } from "../terminal.js";
import { launchedSource } from "./sync-targets.js";
import { hostRunNotice } from "./host-run.js";

/** A launched container by name: its container, its state folder, or what is left of either. */
export function findLaunch(stateRoot: string, name: string): Found {
  if (!isContainerName(name)) throw new LaunchError(`not a container name: ${JSON.stringify(name)}`, "see: create-agent-devcontainer list");
  const paths = statePaths(stateRoot, name);
  const container = launchedContainers(name)[0];
  const record = readRecord(paths);
  if (!container && !existsSync(paths.dir)) throw new LaunchError(`no launched container named ${name}`, "see: create-agent-devcontainer list");
  return { name, paths, ...(container ? { container } : {}), ...(record ? { record } : {}) };
}

/** How `devcontainer` finds the container again (exec, up): the same folder, config and id label as `launch`. */
export function targetOf(found: Found): Target | undefined {
  const record = found.record;
  if (!record || !existsSync(record.config)) return undefined;
  return { workspaceFolder: record.workspaceFolder, config: record.config, idLabel: `${LABELS.launch}=${found.name}` };
}

/** "3m", "5h", "2d": how long ago. */
export function age(createdAt: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(createdAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/**
 * Imports a launched container's pushed work (see sync.ts); a stopped container is started for it and
 * stopped again. Undefined when there is nothing to import from (no container, or no record of its branch).
 */
export async function syncLaunch(found: Found, force = false): Promise<SyncOutcome | undefined> {
  const source = launchedSource(found, force);
  if (!source || !found.container) return undefined;
  const wasRunning = found.container.running;
  if (!wasRunning) startContainer(found.container.id);
  try {
    return await syncOutbox(source);
  } finally {
    if (!wasRunning) stopContainer(found.container.id);
  }
}

/** One line for a person, and a second naming the branch's files that run on the host, when it changes any. */
export function describeSync(outcome: SyncOutcome, hostRepo: string): string {
  const branch = escapeLine(outcome.branch);
  switch (outcome.status) {
    case "nothing-pushed":
      return `${outcome.name}: nothing pushed to ${branch} yet`;
    case "up-to-date":
      return `${outcome.name}: ${branch} up to date (${outcome.commit.slice(0, 12)})${noticeLine(outcome.hostRun)}`;
    case "imported":
      return `${outcome.name}: imported ${branch} ${outcome.previous ? `${outcome.previous.slice(0, 12)}..` : "at "}${outcome.commit.slice(0, 12)} into ${hostRepo}${outcome.forced ? " (forced: it was rewritten)" : ""}${noticeLine(outcome.hostRun)}`;
  }
}

function noticeLine(hostRun: readonly string[]): string {
  return hostRun.length > 0 ? `\n  ${hostRunNotice(hostRun)}` : "";
}
