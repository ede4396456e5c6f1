/**
 * A devcontainer.json is assembled from parts, one per concern (security, workspace, auth, MCP), each a
 * pure function of the options. Merging is explicit: lists concatenate, maps merge, and two parts setting
 * the same scalar or map key differently is a bug in the renderers.
 */
import type { DevContainerConfig, LifecycleCommand } from "../model/devcontainer.js";
import type { McpServer } from "../mcp/model.js";

export type ConfigPart = Partial<Omit<DevContainerConfig, "name" | "image">>;

/** What a part may read besides the options: files found in the repository at scaffold time. */
export interface RenderInputs {
  /** The servers of the MCP source found at scaffold time (VS Code gets its copy from the config). */
  mcpServers?: readonly McpServer[];
}

type Key = keyof ConfigPart;
const LISTS = ["mounts", "runArgs", "securityOpt", "capAdd", "overrideFeatureInstallOrder"] as const satisfies Key[];
const MAPS = ["features", "containerEnv", "remoteEnv"] as const satisfies Key[];
const HOOKS = ["initializeCommand", "onCreateCommand", "postCreateCommand", "postStartCommand"] as const satisfies Key[];

export function mergeParts(base: DevContainerConfig, ...parts: ConfigPart[]): DevContainerConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const part of parts) {
    for (const [key, value] of Object.entries(part) as [Key, unknown][]) {
      if (value === undefined) continue;
      const current = merged[key];
      if (current === undefined) merged[key] = value;
      else if ((LISTS as readonly Key[]).includes(key)) merged[key] = [...(current as unknown[]), ...(value as unknown[])];
      else if ((MAPS as readonly Key[]).includes(key)) merged[key] = mergeMaps(key, current, value);
      else if ((HOOKS as readonly Key[]).includes(key)) merged[key] = mergeHooks(key, current as LifecycleCommand, value as LifecycleCommand);
      else if (key === "customizations") merged[key] = deepMerge(current, value, key);
      else if (JSON.stringify(current) !== JSON.stringify(value)) throw new Error(`two parts set ${key} differently`);
    }
  }
  return merged as unknown as DevContainerConfig;
}

function mergeMaps(key: string, a: unknown, b: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    if (k in out && JSON.stringify(out[k]) !== JSON.stringify(v)) throw new Error(`two parts set ${key}.${k} differently`);
    out[k] = v;
  }
  return out;
}

/** Hooks from several parts run together in the object form (entries run in parallel, so each must stand alone). */
function mergeHooks(key: string, a: LifecycleCommand, b: LifecycleCommand): LifecycleCommand {
  if (typeof a !== "object" || Array.isArray(a) || typeof b !== "object" || Array.isArray(b)) {
    throw new Error(`parts that share ${key} must use its object form`);
  }
  return mergeMaps(key, a, b) as Record<string, string | string[]>;
}

function deepMerge(a: unknown, b: unknown, path: string): unknown {
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v, `${path}.${k}`) : v;
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`two parts set ${path} differently`);
  return a;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
