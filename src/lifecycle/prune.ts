/**
 * `prune`: clears what agent containers left behind when they went without `rm` (`docker rm -f`, as VS
 * Code does): enforcers, their networks and egress state, workspace and outbox volumes, launch state, and
 * our images no container needs; or only what one folder's containers left. An outbox's pushed work is imported first (orphan-outbox.ts); one that
 * cannot be is kept with its workspace, and the reason given.
 */
import { existsSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EGRESS_LABEL, egressStateDir } from "../egress/layout.js";
import { HOOKS_ROOT } from "../features/feature.js";
import { WORKSPACE_FEATURE_ID } from "../features/workspace-feature.js";
import { LABELS } from "../labels.js";
import { onEngine, readRecord, statePaths } from "../launch/state.js";
import type { SyncOutcome } from "../launch/sync.js";
import { DockerError, dockerOk, removeOne } from "../engine/docker.js";
import { engineIdentity, type EngineIdentity } from "../engine/identity.js";
import { readRecords } from "./engines.js";
import { readInventory, type Inventory } from "./inventory.js";
import { builtFor, findOrphans, isOurImage, type Orphans } from "./owned.js";
import { rescueOutbox } from "./orphan-outbox.js";
import { parseSize, volumePair } from "./sizes.js";

export interface PruneItem {
  kind: "enforcer" | "network" | "volume" | "image" | "launch state";
  name: string;
  /** Bytes, where Docker tells. */
  size?: number;
}

export interface PruneReport {
  dryRun: boolean;
  /** Removed; under --dry-run, what would be. */
  removed: PruneItem[];
  kept: (PruneItem & { why: string })[];
  imported: { outcome: SyncOutcome; hostRepo: string }[];
  freed: number;
}

/** `prune`'s default grace: longer than an `up` takes from its host step (the enforcer) to its container. */
export const PRUNE_GRACE_MINUTES = 30;

export interface PruneOptions {
  stateRoot: string;
  dryRun: boolean;
  keepImages: boolean;
  /** Spares anything younger: an `up` in progress has made its enforcer, network and image, not yet its container. */
  graceMs: number;
  now: Date;
  /** Only what containers brought up from this folder left (a repository's scaffolded configs, or a launch's state folder), its images too. */
  folder?: string;
}

export async function prune(options: PruneOptions): Promise<PruneReport> {
  const [inventory, engine] = await Promise.all([readInventory(), engineIdentity()]);
  const all = findOrphans(inventory, options.now, options.graceMs);
  const orphans = options.folder === undefined ? all : inFolder(all, options.folder, options.stateRoot);
  const sizes = await volumeSizes(orphans);
  const report: PruneReport = { dryRun: options.dryRun, removed: [], kept: [], imported: [], freed: 0 };
  const done = async (item: PruneItem, remove: () => Promise<unknown>) => doneAll([[item, remove]]);
  // Removals of one kind go side by side (each is a docker process that mostly waits); reported in order.
  const doneAll = async (items: readonly (readonly [PruneItem, () => Promise<unknown>])[]) => {
    if (!options.dryRun) await sideBySide(items.map(([, remove]) => remove));
    for (const [item] of items) {
      report.removed.push(item);
      report.freed += item.size ?? 0;
    }
  };

  const kept = new Set<string>();
  if (!options.dryRun) {
    // An image with the workspace Feature has git.
    const reader = inventory.images.find((i) => isOurImage(i) && (i.labels["devcontainer.metadata"] ?? "").includes(`${HOOKS_ROOT}/${WORKSPACE_FEATURE_ID}/`))?.tags[0];
    for (const volume of orphans.volumes.filter((v) => volumePair(v.name)?.kind === "outbox")) {
      const verdict = await rescueOutbox(volume.name, reader, options.stateRoot);
      if (verdict.safe) {
        if (verdict.imported) report.imported.push(verdict.imported);
        continue;
      }
      kept.add(volumePair(volume.name)!.suffix);
      report.kept.push({ kind: "volume", name: volume.name, why: verdict.why });
    }
  }
  // A kept outbox keeps its container's enforcer and network too: by their egress id (a scaffolded volume's
  // suffix), a later `prune <folder>` still finds the outbox once its problem is fixed.
  const goes = (labels: Record<string, string>) => !kept.has(labels[EGRESS_LABEL]!);
  for (const [kind, items] of [["enforcer", orphans.enforcers], ["network", orphans.networks]] as const) {
    for (const item of items.filter((x) => !goes(x.labels))) report.kept.push({ kind, name: item.name, why: "kept with its outbox" });
  }
  await doneAll(
    orphans.enforcers.filter((enforcer) => goes(enforcer.labels)).map((enforcer) => [
      { kind: "enforcer", name: enforcer.name },
      async () => {
        await removeOne("container", enforcer.id);
        rmSync(egressStateDir(enforcer.labels[EGRESS_LABEL]!), { recursive: true, force: true });
      },
    ]),
  );
  // After the enforcers: a network goes once no container is attached to it.
  await doneAll(orphans.networks.filter((network) => goes(network.labels)).map((network) => [{ kind: "network", name: network.name }, () => removeOne("network", network.id)]));
  const volumes: [PruneItem, () => Promise<unknown>][] = [];
  for (const volume of orphans.volumes) {
    const pair = volumePair(volume.name);
    if (pair && kept.has(pair.suffix)) {
      if (pair.kind === "workspace") report.kept.push({ kind: "volume", name: volume.name, why: "kept with its outbox" });
      continue;
    }
    volumes.push([{ kind: "volume", name: volume.name, ...sized(sizes.get(volume.name)) }, () => removeOne("volume", volume.name)]);
  }
  await doneAll(volumes);

  const launches = orphanedLaunches(options, inventory, engine, kept).filter((name) => options.folder === undefined || samePath(statePaths(options.stateRoot, name).dir, options.folder));
  for (const name of launches) {
    await done({ kind: "launch state", name }, async () => rmSync(statePaths(options.stateRoot, name).dir, { recursive: true, force: true }));
  }
  if (!options.keepImages) {
    for (const image of orphans.images) {
      await done({ kind: "image", name: image.tags[0] ?? image.id, size: image.size }, async () => {
        for (const tag of image.tags) await removeOne("image", tag);
      });
    }
  }
  return report;
}

/** How many removals run at once: enough to hide each docker process's start, few enough not to crowd the engine. */
const SIDE_BY_SIDE = 8;

/** Runs the tasks, SIDE_BY_SIDE at a time; at the first failure none more starts, and it rejects with it once the running ones have settled. */
async function sideBySide(tasks: readonly (() => Promise<unknown>)[]): Promise<void> {
  let next = 0;
  let failing = false;
  const worker = async () => {
    while (!failing && next < tasks.length) {
      try {
        await tasks[next++]!();
      } catch (error) {
        failing = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(SIDE_BY_SIDE, tasks.length) }, worker));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * The orphans of one folder: enforcers and networks its host step made (their workspace label), the
 * volumes of their containers (named by the same devcontainer id), a launch's volumes by its record.
 */
function inFolder(orphans: Orphans, folder: string, stateRoot: string): Orphans {
  const from = (labels: Record<string, string>) => samePath(labels[`${EGRESS_LABEL}.workspace`] ?? "", folder);
  const enforcers = orphans.enforcers.filter((c) => from(c.labels));
  const networks = orphans.networks.filter((n) => from(n.labels));
  const ids = new Set([...enforcers, ...networks].map((x) => x.labels[EGRESS_LABEL]));
  const launch = existsSync(stateRoot) ? readdirSync(stateRoot).find((name) => samePath(statePaths(stateRoot, name).dir, folder)) : undefined;
  const record = launch === undefined ? undefined : readRecord(statePaths(stateRoot, launch));
  const named = new Set([record?.volume, record?.outboxVolume].filter(Boolean));
  const volumes = orphans.volumes.filter((v) => named.has(v.name) || ids.has(volumePair(v.name)?.suffix));
  // The devcontainer CLI names images by the folder it was given, as typed or resolved.
  const folders = [...new Set([folder, realPath(folder), ...(record ? [record.workspaceFolder, realPath(record.workspaceFolder)] : [])])];
  return { enforcers, networks, volumes, images: orphans.images.filter((image) => builtFor(image, folders)) };
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function samePath(a: string, b: string): boolean {
  return a !== "" && realPath(a) === realPath(b);
}

function sized(size: number | undefined): { size?: number } {
  return size === undefined ? {} : { size };
}

/**
 * Launch state folders of this engine whose container is gone, older than the grace, whose volumes were
 * not kept. Another engine's launches are not this engine's to judge: they stay (engines.ts).
 */
export function orphanedLaunches(options: Pick<PruneOptions, "stateRoot" | "now" | "graceMs">, inventory: Inventory, engine: EngineIdentity, kept: ReadonlySet<string>): string[] {
  const launched = new Set(inventory.containers.map((c) => c.labels[LABELS.launch]).filter(Boolean));
  return readRecords(options.stateRoot)
    .filter(({ name, record }) => onEngine(record, engine) && !launched.has(name) && !kept.has(name) && options.now.getTime() - Date.parse(record.createdAt) >= options.graceMs)
    .map(({ name }) => name);
}

/**
 * Engines before 23.0 refuse a `system df` while another runs: two launches' notices at once, or a notice
 * beside `prune`. The other one ends in seconds, so it is asked again, for a while.
 */
const DF_BUSY = /a disk usage operation is already running/;
const DF_RETRY_MS = 250;
const DF_PATIENCE_MS = 30_000;

/** The orphaned volumes' sizes, from `docker system df -v` (the one call that tells); `patienceMs` 0 asks once. */
export async function volumeSizes(orphans: Orphans, patienceMs = DF_PATIENCE_MS): Promise<Map<string, number>> {
  if (orphans.volumes.length === 0) return new Map();
  const args = ["system", "df", "-v", "--format", "{{json .Volumes}}"];
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      const rows = JSON.parse((await dockerOk(args)) || "[]") as { Name: string; Size: string }[];
      return new Map(rows.flatMap((row) => (parseSize(row.Size) === undefined ? [] : [[row.Name, parseSize(row.Size)!] as const])));
    } catch (error) {
      if (!(error instanceof DockerError && DF_BUSY.test(error.message)) || Date.now() + DF_RETRY_MS > deadline) throw error;
    }
    await sleep(DF_RETRY_MS);
  }
}
