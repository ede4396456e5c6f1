/**
 * A container as every part of this tool sees it, read from `docker inspect`: one shape for the launcher,
 * the lifecycle and the dashboard. The limits are what Docker applies (HostConfig's PidsLimit, Memory,
 * NanoCpus), not what a config asked for.
 */
import { dockerOk, dockerSyncOk, inspectAll, inspectAllSync } from "./docker.js";

export interface AppliedLimits {
  /** 0: no limit. */
  pids: number;
  memoryBytes: number;
  cpus: number;
}

export interface HostConfigLimits {
  PidsLimit?: number | null;
  Memory?: number;
  NanoCpus?: number;
}

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

export interface InspectedContainer {
  Id: string;
  Name: string;
  Image: string;
  Created: string;
  Config: { Labels: Record<string, string> | null };
  State: { Status: string; Running: boolean };
  Mounts: { Type: string; Name?: string; Destination: string }[];
  HostConfig?: HostConfigLimits;
}

/** Docker writes "no pids limit" as null, 0 or -1. */
export function appliedLimits(host: HostConfigLimits | undefined): AppliedLimits {
  const pids = host?.PidsLimit ?? 0;
  return { pids: pids > 0 ? pids : 0, memoryBytes: host?.Memory ?? 0, cpus: (host?.NanoCpus ?? 0) / 1e9 };
}

export function asContainer(c: InspectedContainer): EngineContainer {
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

const lines = (text: string) => text.split("\n").filter(Boolean);
const psArgs = (label: string) => ["ps", "-aq", "--no-trunc", "--filter", `label=${label}`];

/** The containers carrying a label (`key` or `key=value`), inspected in one call. */
export async function containersLabelled(label: string): Promise<EngineContainer[]> {
  return (await inspectAll<InspectedContainer>("container", lines(await dockerOk(psArgs(label))))).map(asContainer);
}

/** The same, synchronously: for the launcher's steps. */
export function containersLabelledSync(label: string): EngineContainer[] {
  return inspectAllSync<InspectedContainer>("container", lines(dockerSyncOk(psArgs(label)))).map(asContainer);
}
