/**
 * What the engine holds that matters to the lifecycle, read in a few `docker … ls` and `inspect` calls:
 * every container (any of them can use a volume or an image), and our networks, volumes and images.
 * The pure decisions on it are in owned.ts.
 */
import { EGRESS_LABEL } from "../egress/layout.js";
import { LABELS } from "../labels.js";
import { appliedLimits, type AppliedLimits, type HostConfigLimits } from "../limits/inspect.js";
import { dockerOk, inspectAll } from "./engine.js";

export interface EngineContainer {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** The image id it runs. */
  image: string;
  labels: Record<string, string>;
  /** created, running, exited, … */
  status: string;
  running: boolean;
  createdAt: string;
  /** Named volumes it mounts, by mount point. */
  volumes: Record<string, string>;
  limits: AppliedLimits;
}

export interface EngineNetwork {
  id: string;
  name: string;
  labels: Record<string, string>;
  createdAt: string;
}

export interface EngineVolume {
  name: string;
  labels: Record<string, string>;
  createdAt: string;
}

export interface EngineImage {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  size: number;
  createdAt: string;
}

export interface Inventory {
  containers: EngineContainer[];
  networks: EngineNetwork[];
  volumes: EngineVolume[];
  images: EngineImage[];
}

interface InspectedContainer {
  Id: string;
  Name: string;
  Image: string;
  Created: string;
  Config: { Labels: Record<string, string> | null };
  State: { Status: string; Running: boolean };
  Mounts: { Type: string; Name?: string; Destination: string }[];
  HostConfig?: HostConfigLimits;
}

const lines = (text: string) => text.split("\n").filter(Boolean);

function asContainer(c: InspectedContainer): EngineContainer {
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ""),
    image: c.Image,
    labels: c.Config.Labels ?? {},
    status: c.State.Status,
    running: c.State.Running,
    createdAt: c.Created,
    volumes: Object.fromEntries(c.Mounts.filter((m) => m.Type === "volume" && m.Name).map((m) => [m.Destination, m.Name!])),
    limits: appliedLimits(c.HostConfig),
  };
}

/** The containers carrying a label (`key` or `key=value`), inspected in one call. */
export async function containersLabelled(label: string): Promise<EngineContainer[]> {
  const ids = lines(await dockerOk(["ps", "-aq", "--no-trunc", "--filter", `label=${label}`]));
  return (await inspectAll<InspectedContainer>("container", ids)).map(asContainer);
}

export async function readInventory(): Promise<Inventory> {
  const [containerIds, networkIds, volumeNames, imageIds] = await Promise.all([
    dockerOk(["ps", "-aq", "--no-trunc"]),
    dockerOk(["network", "ls", "-q", "--no-trunc", "--filter", `label=${EGRESS_LABEL}`]),
    dockerOk(["volume", "ls", "-q", "--filter", `label=${LABELS.workspace}`]),
    // Every image the devcontainer CLI built (owned.ts tells ours apart by what its metadata runs).
    dockerOk(["images", "-q", "--no-trunc", "--filter", "label=devcontainer.metadata"]),
  ]);
  const [containers, networks, volumes, images] = await Promise.all([
    inspectAll<InspectedContainer>("container", lines(containerIds)),
    inspectAll<{ Id: string; Name: string; Created: string; Labels: Record<string, string> | null }>("network", lines(networkIds)),
    inspectAll<{ Name: string; CreatedAt: string; Labels: Record<string, string> | null }>("volume", lines(volumeNames)),
    inspectAll<{ Id: string; RepoTags: string[] | null; Created: string; Size: number; Config: { Labels: Record<string, string> | null } }>("image", [...new Set(lines(imageIds))]),
  ]);
  return {
    containers: containers.map(asContainer),
    networks: networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, createdAt: n.Created })),
    volumes: volumes.map((v) => ({ name: v.Name, labels: v.Labels ?? {}, createdAt: v.CreatedAt })),
    images: images.map((i) => ({ id: i.Id, tags: i.RepoTags ?? [], labels: i.Config.Labels ?? {}, size: i.Size, createdAt: i.Created })),
  };
}
