/**
 * What `launch` reads from the host for egress (the library's renderers stay free of I/O): the enforcer
 * assets, the registries the checkout uses, and the repository's committed policy file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import type { Tree } from "../core/tree.js";
import { readEgressAssets } from "./assets.js";
import { POLICY_FILE } from "./policy-file.js";
import { detectRegistries } from "./presets.js";

export interface EgressLaunchInputs {
  options: Pick<ScaffoldOptions, "registries">;
  render: { assets?: Tree; policy?: string };
}

export function egressLaunchInputs(options: Pick<ScaffoldOptions, "egress">, worktree: string | undefined): EgressLaunchInputs {
  if (options.egress === undefined || options.egress === "open") return { options: {}, render: {} };
  const registries = detectRegistries(worktree ? repoRootFiles(worktree) : []);
  const policyPath = worktree ? join(worktree, POLICY_FILE) : undefined;
  const policy = policyPath && existsSync(policyPath) ? readFileSync(policyPath, "utf8") : undefined;
  return { options: { registries }, render: { assets: readEgressAssets(), ...(policy !== undefined ? { policy } : {}) } };
}

/** The repository's root files: what registry detection looks at. */
export function repoRootFiles(root: string): string[] {
  try {
    return readdirSync(root);
  } catch {
    return [];
  }
}
