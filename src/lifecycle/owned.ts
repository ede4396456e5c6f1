/**
 * What belongs to an agent container and what is left over, decided on an inventory (inventory.ts) with
 * no I/O. Ours is told by our labels: an agent container carries the agent label; its enforcer and its
 * internal network carry the egress id (the enforcer also its config hash); its workspace and outbox
 * volumes the workspace label. An image is ours when the devcontainer CLI built it (a `vsc-` tag, or launch's
 * layer-cache tag) with one of our Features (its metadata runs a hook under HOOKS_ROOT). Nothing else is ever named here.
 */
import { createHash } from "node:crypto";
import { EGRESS_LABEL } from "../egress/layout.js";
import { HOOKS_ROOT } from "../features/feature.js";
import { LABELS } from "../labels.js";
import { isCacheTag } from "../launch/image-cache.js";
import type { EngineContainer } from "../engine/containers.js";
import type { EngineImage, EngineNetwork, EngineVolume, Inventory } from "./inventory.js";

const METADATA_LABEL = "devcontainer.metadata";
const CONFIG_LABEL = `${EGRESS_LABEL}.config`;

export function isAgentContainer(container: EngineContainer): boolean {
  return LABELS.agent in container.labels;
}

export function isEnforcer(container: EngineContainer): boolean {
  return CONFIG_LABEL in container.labels && Boolean(container.labels[EGRESS_LABEL]);
}

export function isOurImage(image: EngineImage): boolean {
  return image.tags.some((tag) => tag.startsWith("vsc-") || isCacheTag(tag)) && (image.labels[METADATA_LABEL] ?? "").includes(`${HOOKS_ROOT}/`);
}

/** The repository part of each tag (`vsc-x-1a2b-features` of `vsc-x-1a2b-features:latest`). */
function repos(image: EngineImage): string[] {
  return image.tags.map((tag) => tag.slice(0, tag.lastIndexOf(":") < 0 ? undefined : tag.lastIndexOf(":")));
}

/**
 * The devcontainer CLI builds `vsc-<folder>-<hash>`, then `…-features` from it, then `…-uid` from that:
 * an image whose name another one extends is its ancestor, and goes only with it.
 */
function isAncestor(image: EngineImage, of: EngineImage): boolean {
  return repos(image).some((name) => repos(of).some((other) => other.startsWith(`${name}-`)));
}

/**
 * Built by the devcontainer CLI for one of these folders: it names an image `vsc-<folder's name>-<sha256 of
 * the folder's path>`, and the images it builds on that one by adding `-features`, `-uid`.
 */
export function builtFor(image: EngineImage, folders: readonly string[]): boolean {
  const hashes = folders.map((folder) => createHash("sha256").update(folder).digest("hex"));
  return repos(image).some((name) => name.startsWith("vsc-") && hashes.some((hash) => new RegExp(`-${hash}(-|$)`).test(name)));
}

/** Our images no container runs, nor any image a container runs builds on. */
export function unusedImages(inventory: Inventory, ignoring: ReadonlySet<string> = new Set()): EngineImage[] {
  const usedIds = new Set(inventory.containers.filter((c) => !ignoring.has(c.id)).map((c) => c.image));
  const used = inventory.images.filter((image) => usedIds.has(image.id));
  return inventory.images.filter((image) => isOurImage(image) && !usedIds.has(image.id) && !used.some((u) => isAncestor(image, u)));
}

export interface Owned {
  container: EngineContainer;
  enforcer?: EngineContainer;
  network?: EngineNetwork;
  volumes: string[];
  /** Its image and that image's ancestors, where no other container needs them. */
  images: EngineImage[];
}

/** Everything `rm` removes with this agent container; the enforcer and network stay while another container shares its egress id. */
export function ownedBy(container: EngineContainer, inventory: Inventory): Owned {
  const egressId = container.labels[EGRESS_LABEL];
  const others = inventory.containers.filter((c) => c.id !== container.id);
  const shared = egressId !== undefined && others.some((c) => isAgentContainer(c) && c.labels[EGRESS_LABEL] === egressId);
  const enforcer = egressId && !shared ? inventory.containers.find((c) => isEnforcer(c) && c.labels[EGRESS_LABEL] === egressId) : undefined;
  const network = egressId && !shared ? inventory.networks.find((n) => n.labels[EGRESS_LABEL] === egressId) : undefined;
  const ours = new Set(inventory.volumes.map((v) => v.name));
  const mountedElsewhere = new Set(others.flatMap((c) => Object.values(c.volumes)));
  const volumes = Object.values(container.volumes).filter((name) => ours.has(name) && !mountedElsewhere.has(name));
  const image = inventory.images.find((i) => i.id === container.image);
  const unused = new Set(unusedImages(inventory, new Set([container.id, ...(enforcer ? [enforcer.id] : [])])).map((i) => i.id));
  const images = image ? inventory.images.filter((i) => unused.has(i.id) && (i.id === image.id || isAncestor(i, image))) : [];
  return { container, ...(enforcer ? { enforcer } : {}), ...(network ? { network } : {}), volumes, images };
}

/**
 * What a launch whose container is gone (`docker rm -f`) left of its egress: the enforcer and network its
 * host step made in its state folder (their workspace label), unless an agent container still uses them.
 */
export function leftByFolder(folder: string, inventory: Inventory): Pick<Owned, "enforcer" | "network"> {
  const served = new Set(inventory.containers.filter(isAgentContainer).map((c) => c.labels[EGRESS_LABEL]));
  const from = (labels: Record<string, string>) => labels[`${EGRESS_LABEL}.workspace`] === folder && !served.has(labels[EGRESS_LABEL]);
  const enforcer = inventory.containers.find((c) => isEnforcer(c) && from(c.labels));
  const network = inventory.networks.find((n) => from(n.labels));
  return { ...(enforcer ? { enforcer } : {}), ...(network ? { network } : {}) };
}

export interface Orphans {
  enforcers: EngineContainer[];
  networks: EngineNetwork[];
  volumes: EngineVolume[];
  images: EngineImage[];
}

/**
 * Ours, with no agent container left to serve: enforcers and networks whose egress id no agent container
 * carries, volumes no container mounts, images no container needs. Anything younger than `graceMs` is
 * spared: a `devcontainer up` creates the enforcer, its network and the image before the agent container.
 */
export function findOrphans(inventory: Inventory, now: Date, graceMs: number): Orphans {
  const old = (createdAt: string) => now.getTime() - Date.parse(createdAt) >= graceMs;
  const served = new Set(inventory.containers.filter(isAgentContainer).map((c) => c.labels[EGRESS_LABEL]).filter((id): id is string => Boolean(id)));
  const mounted = new Set(inventory.containers.flatMap((c) => Object.values(c.volumes)));
  return {
    enforcers: inventory.containers.filter((c) => isEnforcer(c) && !served.has(c.labels[EGRESS_LABEL]!) && old(c.createdAt)),
    networks: inventory.networks.filter((n) => n.labels[EGRESS_LABEL] && !served.has(n.labels[EGRESS_LABEL]) && old(n.createdAt)),
    volumes: inventory.volumes.filter((v) => LABELS.workspace in v.labels && !mounted.has(v.name) && old(v.createdAt)),
    images: unusedImages(inventory).filter((i) => old(i.createdAt)),
  };
}
