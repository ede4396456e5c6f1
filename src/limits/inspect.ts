/**
 * The limits Docker applies to a container, read back from `docker inspect` (HostConfig's PidsLimit,
 * Memory, NanoCpus) for `doctor` and `list --json`: what runs, not what a config asked for, so a config
 * edited by hand or a container made before limits existed shows as it is.
 */
import { appliedLimits, type AppliedLimits, type HostConfigLimits } from "../engine/containers.js";
import { dockerSync } from "../engine/docker.js";
import { EGRESS_LABEL, enforcerName } from "../egress/layout.js";
import { LABELS } from "../labels.js";

interface Inspected {
  Name: string;
  State?: { Running?: boolean };
  Config?: { Labels?: Record<string, string> | null };
  HostConfig?: HostConfigLimits;
}

/** The containers of these names or ids that exist (a missing one is left out; a container that exists is listed). */
function inspect(names: readonly string[]): Inspected[] {
  if (names.length === 0) return [];
  const result = dockerSync(["inspect", "--type", "container", ...names], { timeoutMs: 60_000 });
  try {
    return JSON.parse(result.stdout || "[]") as Inspected[];
  } catch {
    return [];
  }
}

/** Each named container's limits, by name (without Docker's leading slash). */
export function limitsOf(names: readonly string[]): Map<string, AppliedLimits> {
  return new Map(inspect(names).map((c) => [c.Name.replace(/^\//, ""), appliedLimits(c.HostConfig)]));
}

export interface ContainerLimitsRow {
  name: string;
  running: boolean;
  limits: AppliedLimits;
  enforcer?: AppliedLimits;
}

/** Every agent container on this engine (launched or brought up from a scaffolded config), with its enforcer's limits. */
export function agentContainerLimits(): ContainerLimitsRow[] {
  const ids = dockerSync(["ps", "-aq", "--no-trunc", "--filter", `label=${LABELS.agent}`], { timeoutMs: 60_000 });
  if (ids.status !== 0) return [];
  const containers = inspect(ids.stdout.split("\n").filter(Boolean));
  const enforcers = limitsOf(containers.flatMap((c) => (c.Config?.Labels?.[EGRESS_LABEL] ? [enforcerName(c.Config.Labels[EGRESS_LABEL])] : [])));
  return containers
    .map((c) => {
      const egress = c.Config?.Labels?.[EGRESS_LABEL];
      const enforcer = egress ? enforcers.get(enforcerName(egress)) : undefined;
      return { name: c.Name.replace(/^\//, ""), running: c.State?.Running === true, limits: appliedLimits(c.HostConfig), ...(enforcer ? { enforcer } : {}) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** "pids 1024, memory 4 GiB, cpus 2", each limit that is off said so. */
export function describeLimits(limits: AppliedLimits): string {
  return [
    limits.pids > 0 ? `pids ${limits.pids}` : "no pids limit",
    limits.memoryBytes > 0 ? `memory ${formatBytes(limits.memoryBytes)}` : "no memory limit",
    limits.cpus > 0 ? `cpus ${limits.cpus}` : "no cpu limit",
  ].join(", ");
}

export function unlimited(limits: AppliedLimits): boolean {
  return limits.pids === 0 || limits.memoryBytes === 0 || limits.cpus === 0;
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}
