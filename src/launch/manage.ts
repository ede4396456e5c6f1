/** The companion commands' library: find a launched container by name, list them, check and remove one. */
import { EGRESS_LABEL } from "../egress/layout.js";
import { removeEnforcer } from "../egress/inspect.js";
import { existsSync, rmSync } from "node:fs";
import { HOOKS_ROOT } from "../features/agent-feature.js";
import { WORKSPACE_FEATURE_ID } from "../features/workspace-feature.js";
import { LABELS } from "../labels.js";
import type { WorkspaceStatus } from "../workspace/status.js";
import { WORKSPACE_DIR, workspaceVolume } from "../workspace/layout.js";
import type { Target } from "./devcontainer-cli.js";
import { execCapture, launchedContainers, removeContainerAndVolumes, startContainer, type LaunchedContainer } from "./docker.js";
import { LaunchError } from "./errors.js";
import { isContainerName } from "./names.js";
import { readRecord, statePaths, type LaunchRecord, type StatePaths } from "./state.js";

export interface Found {
  name: string;
  container?: LaunchedContainer;
  record?: LaunchRecord;
  paths: StatePaths;
}

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
}

export function listLaunches(): ListRow[] {
  return launchedContainers()
    .map((c) => ({
      name: c.name,
      agent: c.labels[LABELS.agent] ?? "",
      repo: c.labels[LABELS.repo] ?? "",
      branch: c.labels[LABELS.branch] ?? "",
      state: c.status,
      createdAt: c.createdAt,
      id: c.id.slice(0, 12),
      stateDir: c.labels[LABELS.stateDir] ?? "",
    }))
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
  if (result.status !== 0) throw new LaunchError(`cannot check ${found.name} for unpushed work: ${result.stderr.trim().split("\n").pop() ?? ""}`, "pass --force to remove it anyway");
  return JSON.parse(result.stdout) as WorkspaceStatus;
}

export interface Removed {
  name: string;
  container: boolean;
  volume: string;
  stateDir: string | null;
}

/** Removes the container, its workspace volume and its state folder (a URL launch's bare clone with it). */
export function removeLaunch(found: Found): Removed {
  const volume = found.container?.volumes[WORKSPACE_DIR] ?? found.record?.volume ?? workspaceVolume(found.name);
  removeContainerAndVolumes(found.container?.id, [volume]);
  const egressId = found.container?.labels[EGRESS_LABEL];
  if (egressId) removeEnforcer(egressId);
  const stateDir = existsSync(found.paths.dir) ? found.paths.dir : null;
  rmSync(found.paths.dir, { recursive: true, force: true });
  return { name: found.name, container: found.container !== undefined, volume, stateDir };
}
