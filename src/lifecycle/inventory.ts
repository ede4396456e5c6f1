/**
 * What the engine holds that matters to the lifecycle, read in a few `docker … ls` and `inspect` calls:
 * every container (any of them can use a volume or an image), and our networks, volumes and images.
 * The pure decisions on it are in owned.ts.
 */
import { EGRESS_LABEL } from "../egress/layout.js";
import { LABELS } from "../labels.js";
import { asContainer, type EngineContainer, type InspectedContainer } from "../engine/containers.js";
import { dockerOk, inspectAll } from "../engine/docker.js";

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

const lines = (text: string) => text.split("\n").filter(Boolean);

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
