/** The companion commands' library: find a launched container by name, list them, check and remove one. */
import { EGRESS_LABEL, enforcerName } from "../egress/layout.js";
import { removeEnforcer } from "../egress/inspect.js";
import { existsSync, rmSync } from "node:fs";
import { HOOKS_ROOT } from "../features/feature.js";
import { WORKSPACE_FEATURE_ID } from "../features/workspace-feature.js";
import { LABELS } from "../labels.js";
import { limitsOf, type AppliedLimits } from "../limits/inspect.js";
import type { WorkspaceStatus } from "../workspace/status.js";
import { OUTBOX_DIR, outboxVolume, WORKSPACE_DIR, workspaceVolume } from "../workspace/layout.js";
import type { Target } from "./devcontainer-cli.js";
import { execCapture, launchedContainers, removeContainerAndVolumes, startContainer, stopContainer } from "./docker.js";
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

export interface ListRow {
  name: string;
  agent: string;
  repo: string;
  branch: string;
  state: string;
  createdAt: string;
  id: string;
  stateDir: string;
  /** The container's and its enforcer's limits, as Docker applies them (0: none). */
  limits: AppliedLimits;
  enforcerLimits?: AppliedLimits;
}

export function listLaunches(): ListRow[] {
  const containers = launchedContainers();
  // The enforcers' limits in one `docker inspect` (the page lists every few seconds).
  const enforcerOf = (c: (typeof containers)[number]) => (c.labels[EGRESS_LABEL] ? enforcerName(c.labels[EGRESS_LABEL]) : undefined);
  const enforcers = limitsOf(containers.flatMap((c) => enforcerOf(c) ?? []));
  return containers
    .map((c) => {
      const enforcer = enforcers.get(enforcerOf(c) ?? "");
      return {
        name: c.name,
        agent: c.labels[LABELS.agent] ?? "",
        repo: c.labels[LABELS.repo] ?? "",
        branch: c.labels[LABELS.branch] ?? "",
        state: c.status,
        createdAt: c.createdAt,
        id: c.id.slice(0, 12),
        stateDir: c.labels[LABELS.stateDir] ?? "",
        limits: c.limits,
        ...(enforcer ? { enforcerLimits: enforcer } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** "3m", "5h", "2d": how long ago. */
export function age(createdAt: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(createdAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** Asks the workspace hook in the container what deleting it would lose (starts a stopped container). */
export function workspaceStatusOf(found: Found): WorkspaceStatus {
  const container = found.container;
  if (!container) return { provisioned: false, branch: "", uncommitted: 0, unpushed: 0 };
  if (!container.running) startContainer(container.id);
  const result = execCapture(container.id, [`${HOOKS_ROOT}/${WORKSPACE_FEATURE_ID}/hook`, "status"]);
  const refuse = (why: string) => new LaunchError(`cannot check ${found.name} for unpushed work: ${escapeLine(why.slice(0, 300))}`, "pass --force to remove it anyway");
  if (result.status !== 0) throw refuse(result.stderr.trim().split("\n").pop() ?? "");
  // The answer comes from inside the container: only its expected shape is believed.
  try {
    const status = JSON.parse(result.stdout) as WorkspaceStatus;
    if (typeof status.provisioned === "boolean" && typeof status.branch === "string" && Number.isInteger(status.uncommitted) && Number.isInteger(status.unpushed)) {
      return { provisioned: status.provisioned, branch: escapeLine(status.branch), uncommitted: status.uncommitted, unpushed: status.unpushed };
    }
  } catch {
    // fall through: not JSON
  }
  throw refuse("its answer is not a workspace status");
}

export interface Removed {
  name: string;
  container: boolean;
  volume: string;
  outboxVolume: string;
  stateDir: string | null;
}

/** Removes the container, its workspace and outbox volumes and its state folder (a URL launch's bare clone with it). */
export function removeLaunch(found: Found): Removed {
  const volume = found.container?.volumes[WORKSPACE_DIR] ?? found.record?.volume ?? workspaceVolume(found.name);
  const outbox = found.container?.volumes[OUTBOX_DIR] ?? found.record?.outboxVolume ?? outboxVolume(found.name);
  removeContainerAndVolumes(found.container?.id, [volume, outbox]);
  const egressId = found.container?.labels[EGRESS_LABEL];
  if (egressId) removeEnforcer(egressId);
  const stateDir = existsSync(found.paths.dir) ? found.paths.dir : null;
  rmSync(found.paths.dir, { recursive: true, force: true });
  return { name: found.name, container: found.container !== undefined, volume, outboxVolume: outbox, stateDir };
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
