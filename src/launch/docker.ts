/** The few Docker operations the launcher needs, as argv (never through a shell). */
import { spawnSync } from "node:child_process";
import { LABELS } from "../labels.js";
import { appliedLimits, type AppliedLimits, type HostConfigLimits } from "../limits/inspect.js";
import { LaunchError } from "./errors.js";

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], timeoutMs = 120_000): Result {
  const result = spawnSync("docker", args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new LaunchError(missing ? "docker is not installed (or not on PATH)" : `docker ${args[0]} failed: ${result.error.message}`, "install Docker and start its engine");
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(args: readonly string[], timeoutMs?: number): string {
  const result = run(args, timeoutMs);
  if (result.status !== 0) throw new LaunchError(`docker ${args.join(" ")} failed: ${result.stderr.trim().split("\n").pop() ?? ""}`);
  return result.stdout.trim();
}

export function requireEngine(): void {
  if (run(["version", "--format", "{{.Server.Version}}"], 30_000).status !== 0) {
    throw new LaunchError("the Docker engine does not answer", "start Docker, then try again");
  }
}

/** The CLI builds Features with BuildKit (isolated build contexts) only where buildx is installed. */
export function hasBuildx(): boolean {
  return run(["buildx", "version"], 30_000).status === 0;
}

export function containerExists(name: string): boolean {
  return run(["container", "inspect", "--format", "{{.Id}}", name]).status === 0;
}

export function volumeExists(name: string): boolean {
  return run(["volume", "inspect", "--format", "{{.Name}}", name]).status === 0;
}

/** Everything `launch` started, by our label (the container's name is the label's value). */
export interface LaunchedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** created, running, exited, … */
  status: string;
  running: boolean;
  createdAt: string;
  /** Named volumes by mount point. */
  volumes: Record<string, string>;
  /** Its process, memory and CPU limits, as Docker applies them. */
  limits: AppliedLimits;
}

interface Inspected {
  Id: string;
  Created: string;
  Config: { Labels: Record<string, string> | null };
  State: { Status: string; Running: boolean };
  Mounts: { Type: string; Name?: string; Destination: string }[];
  HostConfig?: HostConfigLimits;
}

export function launchedContainers(name?: string): LaunchedContainer[] {
  const filter = name === undefined ? LABELS.launch : `${LABELS.launch}=${name}`;
  const ids = ok(["ps", "-aq", "--no-trunc", "--filter", `label=${filter}`]).split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  return (JSON.parse(ok(["inspect", ...ids])) as Inspected[]).map((c) => {
    const labels = c.Config.Labels ?? {};
    return {
      id: c.Id,
      name: labels[LABELS.launch] ?? "",
      labels,
      status: c.State.Status,
      running: c.State.Running,
      createdAt: c.Created,
      volumes: Object.fromEntries(c.Mounts.filter((m) => m.Type === "volume" && m.Name).map((m) => [m.Destination, m.Name!])),
      limits: appliedLimits(c.HostConfig),
    };
  });
}

export function stopContainer(id: string): void {
  ok(["stop", id]);
}

export function startContainer(id: string): void {
  ok(["start", id]);
}

const REMOVE_ATTEMPTS = 10;
const REMOVE_RETRY_MS = 500;

/**
 * Removes a container (if any) and named volumes (if any); missing ones are not an error. An interrupted
 * `docker run` whose request already reached the engine still creates its container after we looked, so a
 * volume that container holds is retried (bounded) after removing the container again.
 */
export function removeContainerAndVolumes(container: string | undefined, volumes: readonly string[]): void {
  for (let attempt = 1; ; attempt++) {
    if (container !== undefined) {
      const result = run(["rm", "-f", "-v", container]);
      if (result.status !== 0 && !/No such container/i.test(result.stderr)) throw new LaunchError(`cannot remove ${container}: ${result.stderr.trim()}`);
    }
    const inUse = volumes.filter((volume) => {
      const result = run(["volume", "rm", "-f", volume]);
      if (result.status === 0 || /no such volume/i.test(result.stderr)) return false;
      if (container !== undefined && attempt < REMOVE_ATTEMPTS && /volume is in use/i.test(result.stderr)) return true;
      throw new LaunchError(`cannot remove volume ${volume}: ${result.stderr.trim()}`);
    });
    if (inUse.length === 0) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, REMOVE_RETRY_MS);
  }
}

/** Runs a command in the container as its user (for `rm`'s check); output captured. */
export function execCapture(id: string, command: readonly string[]): Result {
  return run(["exec", id, ...command], 60_000);
}

export function containerLogs(id: string): string {
  const result = run(["logs", id]);
  return `${result.stdout}${result.stderr}`;
}
