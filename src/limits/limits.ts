/**
 * Resource limits, on by default: the agent's container and its egress enforcer each get a process, memory
 * and CPU ceiling, so one fork bomb or leak stops at its own container instead of taking the host and every
 * other agent down. Sized for two to four agents on a laptop (docs/limits.md says why these numbers). Pure:
 * the defaults, the `--limits pids=…,memory=…,cpus=…` syntax, and the `docker run` arguments.
 */
import type { Limits, ScaffoldOptions } from "../generated/scaffold-options.js";

export type { Limits } from "../generated/scaffold-options.js";
export type ResolvedLimits = Required<Limits>;
export type LimitsOf = "agent" | "enforcer";

export const DEFAULT_LIMITS: Readonly<Record<LimitsOf, ResolvedLimits>> = {
  agent: { pids: 1024, memory: "4g", cpus: 2 },
  enforcer: { pids: 128, memory: "256m", cpus: 1 },
};

/** Below these a container cannot do its work (Docker itself refuses memory under 6 MiB). */
const MIN_PIDS = 32;
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
const UNIT = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as const;

/** The options' limits for one container, each field left out taking its default. */
export function resolveLimits(options: Pick<ScaffoldOptions, "limits">, of: LimitsOf): ResolvedLimits {
  return { ...DEFAULT_LIMITS[of], ...options.limits?.[of] };
}

/** `docker run` arguments for the limits that are on (0 is off, as Docker has it). */
export function limitArgs(limits: ResolvedLimits): string[] {
  return [
    ...(limits.pids > 0 ? [`--pids-limit=${limits.pids}`] : []),
    ...(limits.memory !== "0" ? [`--memory=${limits.memory}`] : []),
    ...(limits.cpus > 0 ? [`--cpus=${limits.cpus}`] : []),
  ];
}

/** Bytes in a memory size as the options write it ("256m"), or undefined when it is not one. */
export function memoryBytes(size: string): number | undefined {
  if (size === "0") return 0;
  const match = /^([1-9][0-9]{0,9})([kmg])$/.exec(size);
  return match ? Number(match[1]) * UNIT[match[2] as keyof typeof UNIT] : undefined;
}

/**
 * Parses `pids=N,memory=SIZE,cpus=N` (any of them, in any order) into the fields it sets; a problem comes
 * back as a message that quotes the offending part.
 */
export function parseLimits(text: string): Limits | string {
  const limits: Limits = {};
  for (const part of text.split(",").map((item) => item.trim())) {
    const [key = "", value = "", ...rest] = part.split("=");
    const quoted = JSON.stringify(part);
    if (rest.length > 0 || value === "") return `${quoted}: expected pids=N, memory=SIZE or cpus=N`;
    if (key === "pids") {
      if (!/^[0-9]{1,7}$/.test(value) || (Number(value) !== 0 && Number(value) < MIN_PIDS) || Number(value) > 4194304) {
        return `${quoted}: pids is a whole number from ${MIN_PIDS} up (0: no limit)`;
      }
      limits.pids = Number(value);
    } else if (key === "memory") {
      const size = value.toLowerCase();
      const bytes = memoryBytes(size);
      if (bytes === undefined || (bytes !== 0 && bytes < MIN_MEMORY_BYTES)) return `${quoted}: memory is a whole number with k, m or g, at least 6m, like 512m or 4g (0: no limit)`;
      limits.memory = size;
    } else if (key === "cpus") {
      if (!/^[0-9]{1,4}(\.[0-9]{1,2})?$/.test(value) || (Number(value) !== 0 && Number(value) < 0.01)) return `${quoted}: cpus is a number like 2 or 1.5 (0: no limit)`;
      limits.cpus = Number(value);
    } else {
      return `${quoted}: unknown limit ${JSON.stringify(key)}; the limits are pids, memory and cpus`;
    }
  }
  return limits;
}
