/**
 * One lifecycle for every agent container, launched or scaffolded: find it by name, import what it pushed,
 * stop, start, and remove it with everything it owns (owned.ts). The CLI (cli/launch-manage.ts) and the
 * dashboard (ui/live.ts) both call these; every Docker call here is asynchronous.
 */
import { existsSync, rmSync } from "node:fs";
import { egressStateDir, EGRESS_LABEL } from "../egress/layout.js";
import { LABELS } from "../labels.js";
import { restart } from "../launch/devcontainer-cli.js";
import { LaunchError } from "../launch/errors.js";
import { isCacheTag } from "../launch/image-cache.js";
import { resolveLocalRepo } from "../launch/host-repo.js";
import { keepWorkRefusal } from "../launch/keep-work.js";
import { syncLaunch, targetOf } from "../launch/manage.js";
import { isContainerName } from "../launch/names.js";
import { readRecord, statePaths, type Found } from "../launch/state.js";
import { syncOutbox, type SyncOutcome } from "../launch/sync.js";
import { claimsFile, claimScaffoldedBranch } from "../launch/sync-targets.js";
import { OUTBOX_DIR, outboxVolume, WORKSPACE_DIR, workspaceVolume } from "../workspace/layout.js";
import { UserError } from "../errors.js";
import { dockerOk, removeOne } from "../engine/docker.js";
import { containersLabelled, type EngineContainer } from "../engine/containers.js";
import { engineIdentity } from "../engine/identity.js";
import { refuseOtherEngine } from "./engines.js";
import { readInventory } from "./inventory.js";
import { folderOf, kindOf, nameOf } from "./list.js";
import { leftByFolder, ownedBy } from "./owned.js";
import { workspaceStatus, remoteUserOf } from "./workspace-status.js";

export type Managed = { kind: "launched"; name: string; found: Found } | { kind: "scaffolded"; name: string; container: EngineContainer; folder?: string };

/** The container a command names: a launch (its container, or what is left of it), else a scaffolded config's container by Docker's name. */
export async function resolveManaged(stateRoot: string, name: string): Promise<Managed> {
  if (!isContainerName(name)) throw new LaunchError(`not a container name: ${JSON.stringify(name)}`, "see: create-agent-devcontainer list");
  const paths = statePaths(stateRoot, name);
  const record = readRecord(paths);
  // Only a record naming its engine can belong to another (a legacy one costs no call); asked beside the lookup.
  const [[launched], engine] = await Promise.all([containersLabelled(`${LABELS.launch}=${name}`), record?.engine ? engineIdentity() : undefined]);
  if (record && engine) refuseOtherEngine(name, record, engine);
  if (launched || existsSync(paths.dir)) {
    return { kind: "launched", name, found: { name, paths, ...(launched ? { container: { ...launched, name } } : {}), ...(record ? { record } : {}) } };
  }
  const scaffolded = (await containersLabelled(LABELS.agent)).find((c) => kindOf(c) === "scaffolded" && nameOf(c) === name);
  if (!scaffolded) throw new LaunchError(`no agent container named ${name}`, "see: create-agent-devcontainer list");
  const folder = folderOf(scaffolded);
  return { kind: "scaffolded", name, container: scaffolded, ...(folder ? { folder } : {}) };
}

export function containerOf(managed: Managed): EngineContainer | undefined {
  return managed.kind === "launched" ? managed.found.container : managed.container;
}

export interface Imported {
  outcome: SyncOutcome;
  /** The repository it went into. */
  hostRepo: string;
}

/**
 * Imports what the container pushed (sync.ts); undefined when there is nothing to import from (no
 * container, no outbox: a bind-mounted scaffolded config). A stopped container is started for it and
 * stopped again.
 */
export async function importPushed(managed: Managed, stateRoot: string, force = false): Promise<Imported | undefined> {
  if (managed.kind === "launched") {
    const outcome = await syncLaunch(managed.found, force);
    return outcome && { outcome, hostRepo: managed.found.record?.localRepo ?? "" };
  }
  const container = managed.container;
  const outbox = container.volumes[OUTBOX_DIR];
  if (outbox === undefined || !managed.folder) return undefined;
  const repo = resolveLocalRepo(managed.folder);
  if (!container.running) await dockerOk(["start", container.id]);
  try {
    const agent = container.labels[LABELS.agent] ?? "";
    const branch = claimScaffoldedBranch({ id: container.id, name: managed.name, agent, running: true, outbox }, repo.gitDir, claimsFile(stateRoot));
    const outcome: SyncOutcome = branch === undefined ? { name: managed.name, status: "nothing-pushed", branch: `${agent}/…` } : await syncOutbox({ name: managed.name, containerId: container.id, hostRepo: repo.gitDir, branch, force });
    return { outcome, hostRepo: repo.gitDir };
  } finally {
    if (!container.running) await dockerOk(["stop", container.id]);
  }
}

/** Imports, then stops; an import that is refused is reported and the stop goes on. */
export async function stopManaged(managed: Managed, stateRoot: string): Promise<{ stopped: boolean; imported?: Imported; notImported?: string }> {
  const container = requireContainer(managed);
  if (!container.running) return { stopped: false };
  let result: { imported?: Imported; notImported?: string } = {};
  try {
    const imported = await importPushed(managed, stateRoot);
    if (imported) result = { imported };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    result = { notImported: `${error.message}${error.hint ? ` (${error.hint})` : ""}` };
  }
  await dockerOk(["stop", container.id]);
  return { stopped: true, ...result };
}

/** A launch through `devcontainer up` while its config is there (its postStart hooks run); otherwise `docker start`. */
export async function startManaged(managed: Managed): Promise<void> {
  const container = requireContainer(managed);
  const target = managed.kind === "launched" ? targetOf(managed.found) : undefined;
  if (target && managed.kind === "launched") await restart(target, managed.found.paths.log);
  else if (!container.running) await dockerOk(["start", container.id]);
}

function requireContainer(managed: Managed): EngineContainer {
  const container = containerOf(managed);
  if (!container) throw new LaunchError(`${managed.name} has no container (a launch that did not finish?)`, `remove what is left with: create-agent-devcontainer rm ${managed.name}`);
  return container;
}

/** Work `rm` would delete: the refusal, and the commands that keep it. */
export class WorkAtRisk extends UserError {}

export interface Removed {
  name: string;
  kind: Managed["kind"];
  imported?: Imported;
  container: boolean;
  enforcer?: string;
  network?: string;
  volumes: string[];
  images: string[];
  stateDir: string | null;
}

/**
 * Imports its pushed work, refuses while anything would still be lost (unless `force`, or `confirm` says
 * yes), then removes the container, its enforcer, network and egress state, its volumes, a launch's state
 * folder, and its image once no other container needs it.
 */
export async function removeManaged(managed: Managed, stateRoot: string, options: { force: boolean; keepImage?: boolean; confirm?: (question: string) => Promise<boolean> }): Promise<Removed> {
  let imported: Imported | undefined;
  if (!options.force) {
    imported = await importPushed(managed, stateRoot);
    await checkNothingLost(managed, options.confirm);
  }
  const inventory = await readInventory();
  const container = containerOf(managed);
  const engine = container && inventory.containers.find((c) => c.id === container.id);
  const owned = engine ? ownedBy(engine, inventory) : undefined;
  const record = managed.kind === "launched" ? managed.found.record : undefined;
  // A launch whose container is gone still names its volumes (they may be left from a failed start).
  const leftVolumes = managed.kind === "launched" && !engine ? [record?.volume ?? workspaceVolume(managed.name), record?.outboxVolume ?? outboxVolume(managed.name)] : [];
  const egress = owned ?? (managed.kind === "launched" ? leftByFolder(managed.found.paths.dir, inventory) : {});
  if (owned) await removeOne("container", owned.container.id);
  if (egress.enforcer) await removeOne("container", egress.enforcer.id);
  if (egress.network) await removeOne("network", egress.network.id);
  const egressId = (egress.enforcer ?? egress.network)?.labels[EGRESS_LABEL];
  if (egressId && /^[a-z0-9]+$/.test(egressId)) rmSync(egressStateDir(egressId), { recursive: true, force: true });
  const volumes: string[] = [];
  for (const volume of [...(owned?.volumes ?? []), ...leftVolumes]) if (await removeOne("volume", volume)) volumes.push(volume);
  const images: string[] = [];
  for (const image of options.keepImage ? [] : (owned?.images ?? [])) {
    // The layer cache's tag stays for the next launch of that config (prune clears it).
    for (const tag of image.tags.filter((t) => !isCacheTag(t))) if (await removeOne("image", tag)) images.push(tag);
  }
  let stateDir: string | null = null;
  if (managed.kind === "launched" && existsSync(managed.found.paths.dir)) {
    stateDir = managed.found.paths.dir;
    rmSync(stateDir, { recursive: true, force: true });
  }
  return {
    name: managed.name,
    kind: managed.kind,
    ...(imported ? { imported } : {}),
    container: owned !== undefined,
    ...(egress.enforcer ? { enforcer: egress.enforcer.name } : {}),
    ...(egress.network ? { network: egress.network.name } : {}),
    volumes,
    images,
    stateDir,
  };
}

async function checkNothingLost(managed: Managed, confirm: ((question: string) => Promise<boolean>) | undefined): Promise<void> {
  const container = containerOf(managed);
  // Nothing of the agent's lives in the container without a workspace volume (a bind mount is the host's own folder).
  if (!container || !Object.keys(container.volumes).includes(WORKSPACE_DIR)) return;
  const status = await workspaceStatus(managed.name, container);
  if (status.uncommitted === 0 && status.unpushed === 0) return;
  const disposable = managed.kind === "launched" && managed.found.record?.localRepo === managed.found.paths.bareRepo;
  const shell = managed.kind === "scaffolded" ? `docker exec -u ${remoteUserOf(container)} -w ${WORKSPACE_DIR} ${managed.name}` : undefined;
  const refusal = keepWorkRefusal(managed.name, status, disposable, shell);
  if (confirm && (await confirm(`${refusal.message}. Delete them with the workspace?`))) return;
  throw new WorkAtRisk(confirm ? "kept it; nothing was removed" : refusal.message, refusal.hint);
}
